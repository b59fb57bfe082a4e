package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, modality by modality, whether an end-to-end export (the encoders' own inputs to the prediction, in one
 * graph) is possible, and says why not where it is not. Tabular columns and precomputed vectors are the fusion
 * graph's own inputs (standardised inside it), so they always merge. An ONNX encoder whose preprocessing ends in
 * model input tensors (a text tokenizer's ids and mask, an image's pixel tensor) merges when btw can upgrade its
 * graph to the fusion graph's opset ({@value OnnxOp#OPSET}, see {@link OnnxOpsetUpgrade}); its tokenising or image
 * decoding stays outside the graph, with the caller. Not merged: TorchScript encoders, and audio encoders (two
 * models with resampling and windowing in Java between them).
 */
public final class EndToEndPlan {

    private final Map<String, String> blockers = new LinkedHashMap<>();
    private final List<EndToEndMerge.Part> parts = new ArrayList<>();

    private EndToEndPlan() {}

    /**
     * @param config the run's config
     * @param model the exported modalities (a unimodal export has one)
     * @return the plan
     */
    public static EndToEndPlan of(BtwConfig config, Collection<String> model) {
        return of(config, model, new AssetFetcher());
    }

    /**
     * @param config the run's config
     * @param model the exported modalities
     * @param fetcher where the encoders' model files are cached
     * @return the plan
     */
    public static EndToEndPlan of(BtwConfig config, Collection<String> model, AssetFetcher fetcher) {
        Map<String, String> encoders = new LinkedHashMap<>();
        config.modalities().values().forEach(m -> encoders.put(m.name(), m.encoder()));
        return of(encoders, config.baseDir(), model, fetcher);
    }

    /**
     * The plan for a run directory's model, from the encoder references it recorded
     * (the run model's {@code encoders}).
     *
     * @param encoders modality to encoder reference ({@code columns}, {@code vectors}, a spec name or folder)
     * @param base the folder a relative spec folder is resolved against
     * @param model the exported modalities
     * @param fetcher where the encoders' model files are cached
     * @return the plan; an encoder whose spec cannot be found is a blocker naming the reference
     */
    public static EndToEndPlan of(
            Map<String, String> encoders, Path base, Collection<String> model, AssetFetcher fetcher) {
        EndToEndPlan plan = new EndToEndPlan();
        SpecLocator locator = SpecLocator.defaults();
        for (Map.Entry<String, String> m : encoders.entrySet()) {
            String name = m.getKey();
            String reference = m.getValue();
            if (!model.contains(name) || "columns".equals(reference) || "vectors".equals(reference)) {
                continue;
            }
            if (!locator.exists(reference, base)) {
                plan.blockers.put(
                        name + " (" + reference + ")",
                        "its encoder spec is not on this machine (no "
                                + SpecReader.FILE + " in " + base.resolve(reference) + " nor under the models folders "
                                + locator.roots() + "); put the spec folder there");
                continue;
            }
            EncoderSpec spec = locator.find(reference, base);
            String key = name + " (" + spec.name() + ")";
            if (spec.engine() == Engine.TORCHSCRIPT) {
                plan.blockers.put(
                        key,
                        "a TorchScript model, not ONNX (no TorchScript-to-ONNX converter runs in pure "
                                + "Java; a fine-tuned one is written beside the file by an export of the fusion model alone)");
            } else if (spec.preprocess() == null) {
                plan.blockers.put(key, "no preprocessing, so no graph inputs");
            } else {
                String blocker = spec.preprocess()
                        .match(
                                t -> null,
                                a -> "two models with resampling and 76-frame windowing in Java between them",
                                i -> null,
                                v -> "video decoding and frame sampling happen in Java, outside any graph");
                if (blocker == null) {
                    plan.addEncoder(name, key, spec, fetcher);
                } else {
                    plan.blockers.put(key, blocker);
                }
            }
        }
        return plan;
    }

    private void addEncoder(String modality, String key, EncoderSpec spec, AssetFetcher fetcher) {
        var asset = spec.files().get(EncoderSpec.MODEL);
        if (asset == null || !fetcher.isCached(asset)) {
            blockers.put(key, "its model file is not fetched (run 'btw fetch " + spec.name() + "')");
            return;
        }
        OnnxMl.ModelProto encoder;
        try (InputStream in = Files.newInputStream(fetcher.cachedPath(asset))) {
            encoder = OnnxMl.ModelProto.parseFrom(in);
        } catch (IOException e) {
            blockers.put(key, "its model file cannot be read: " + e.getMessage());
            return;
        }
        List<String> problems = OnnxOpsetUpgrade.unsupported(encoder);
        if (!problems.isEmpty()) {
            blockers.put(
                    key,
                    "its graph cannot be brought to the fusion graph's opset " + OnnxOp.OPSET + ": "
                            + String.join("; ", problems));
            return;
        }
        parts.add(new EndToEndMerge.Part(modality, spec, encoder));
    }

    /** @return whether every modality merges */
    public boolean possible() {
        return blockers.isEmpty();
    }

    /** @return modality (encoder) to the reason it cannot be merged */
    public Map<String, String> blockers() {
        return blockers;
    }

    /** @return the encoders that merge, in modality order */
    public List<EndToEndMerge.Part> parts() {
        return List.copyOf(parts);
    }

    /**
     * @param fusion the exported fusion model
     * @return the end-to-end model
     * @throws BtwException when some modality cannot be merged
     */
    public OnnxMl.ModelProto merge(OnnxMl.ModelProto fusion) {
        requirePossible();
        return EndToEndMerge.merge(fusion, parts);
    }

    /** @throws BtwException naming every modality that cannot be merged and why */
    public void requirePossible() {
        if (possible()) {
            return;
        }
        throw new BtwException(("an end-to-end export is not possible for this run: " + describeBlockers()
                        + "Export the fusion model alone and run the encoders before it.")
                .trim());
    }

    /** @return every modality that cannot be merged and why, one sentence each, for a caller's own message */
    public String describeBlockers() {
        StringBuilder sb = new StringBuilder();
        blockers.forEach((m, why) -> sb.append(m).append(": ").append(why).append(". "));
        return sb.toString();
    }
}

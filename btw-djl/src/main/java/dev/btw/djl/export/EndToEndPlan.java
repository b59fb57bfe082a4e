package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.djl.encoder.spec.AudioPreprocess;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.TextPreprocess;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, modality by modality, whether an end-to-end export (raw inputs to prediction in one graph) is possible,
 * and says why not where it is not. Tabular columns and precomputed vectors are the fusion graph's own inputs
 * (standardised inside it), so they always merge. An encoder graph does not merge yet when it is TorchScript, when
 * part of its preprocessing runs in Java (tokenising, resampling and framing, image resizing), or when its ONNX
 * opset differs from the fusion graph's ({@value OnnxOp#OPSET}): one ONNX model has one opset per domain, and btw
 * has no opset converter.
 */
public final class EndToEndPlan {

    private final Map<String, String> blockers = new LinkedHashMap<>();

    private EndToEndPlan() {}

    /**
     * @param config the run's config
     * @param model the exported modalities (a unimodal export has one)
     * @return the plan
     */
    public static EndToEndPlan of(BtwConfig config, java.util.Collection<String> model) {
        EndToEndPlan plan = new EndToEndPlan();
        SpecLocator locator = SpecLocator.defaults();
        AssetFetcher fetcher = new AssetFetcher();
        for (ModalityConfig m : config.modalities().values()) {
            if (!model.contains(m.name()) || m.isTabular() || "vectors".equals(m.encoder())) {
                continue;
            }
            EncoderSpec spec = locator.find(m.encoder(), config.baseDir());
            StringBuilder why = new StringBuilder();
            if (spec.engine() == Engine.TORCHSCRIPT) {
                why.append("a TorchScript model, not ONNX");
            } else {
                if (spec.preprocess() instanceof TextPreprocess) {
                    why.append("its tokenizer runs in Java (the graph would start at token ids)");
                } else if (spec.preprocess() instanceof AudioPreprocess) {
                    why.append("two models with resampling and 76-frame windowing in Java between them");
                } else if (spec.preprocess() instanceof ImagePreprocess) {
                    why.append("image decoding and resizing run in Java");
                }
                int opset = opset(spec, fetcher);
                if (opset != OnnxOp.OPSET) {
                    why.append(why.length() == 0 ? "" : "; ").append("its graph is at ONNX opset ")
                            .append(opset < 0 ? "(unknown: model file not fetched)" : Integer.toString(opset))
                            .append(", the fusion graph at ").append(OnnxOp.OPSET).append(" (no opset converter)");
                }
            }
            if (why.length() > 0) {
                plan.blockers.put(m.name() + " (" + spec.name() + ")", why.toString());
            }
        }
        return plan;
    }

    private static int opset(EncoderSpec spec, AssetFetcher fetcher) {
        var asset = spec.files().get(EncoderSpec.MODEL);
        if (asset == null || !fetcher.isCached(asset)) {
            return -1;
        }
        Path file = fetcher.cachedPath(asset);
        try (InputStream in = Files.newInputStream(file)) {
            for (OnnxMl.OperatorSetIdProto o : OnnxMl.ModelProto.parseFrom(in).getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                    return (int) o.getVersion();
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** @return whether every modality merges */
    public boolean possible() {
        return blockers.isEmpty();
    }

    /** @return modality (encoder) to the reason it cannot be merged */
    public Map<String, String> blockers() {
        return blockers;
    }

    /** @throws BtwException naming every modality that cannot be merged and why */
    public void requirePossible() {
        if (possible()) {
            return;
        }
        StringBuilder sb = new StringBuilder("--end-to-end is not possible for this run: ");
        blockers.forEach((m, why) -> sb.append(m).append(": ").append(why).append(". "));
        sb.append("Export without --end-to-end and run the encoders before the model ('btw predict' does both).");
        throw new BtwException(sb.toString().trim());
    }
}

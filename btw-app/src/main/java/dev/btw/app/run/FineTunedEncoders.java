package dev.btw.app.run;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.FineTunedEncoderFolder;
import dev.btw.app.experiment.Method;
import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.djl.export.OnnxMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fine-tuned encoders that go with an exported fusion model. A TorchScript encoder cannot be merged into the
 * ONNX graph in pure Java (no converter from TorchScript to ONNX runs on the JVM), so {@code btw export} copies each
 * fine-tuned encoder's spec folder ({@code spec.yaml} and {@code model.pt}, see {@link FineTunedEncoderFolder})
 * beside the ONNX file, into {@code NAME.encoders/MODALITY/}, and names the folders and the model files' SHA-256 in
 * the file's metadata ({@link OnnxMetadata#FINE_TUNED_ENCODERS}). {@code btw predict} and
 * {@link dev.btw.app.predict.ManifestPredictor} read them back and encode those modalities with them; a Java caller
 * of {@link dev.btw.djl.serve.FusionModels} loads them with {@code SpecReader.read(folder)} and
 * {@code Encoders.load}.
 */
public final class FineTunedEncoders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FineTunedEncoders() {}

    /**
     * Copies the fine-tuned encoders of one trained model beside an ONNX file about to be written.
     *
     * @param run the run directory
     * @param trained the model being exported
     * @param target the ONNX file
     * @return the metadata value naming them ({@code {modality: {"folder", "sha256"}}}), or null when the model's
     *     encoders were not fine-tuned
     * @throws BtwException for the instance policy, whose graph holds the unimodal references: each was trained with
     *     its own fine-tuned encoder, so no single encoder serves the graph
     */
    public static String copyBeside(Path run, TrainedFusion trained, Path target) {
        Map<String, Path> folders = folders(run, trained.method(), trained.seed());
        if (folders.isEmpty()) {
            return null;
        }
        if (trained.policy() == InferencePolicy.INSTANCE
                && !(Method.parse(trained.method()) instanceof Method.Unimodal)) {
            throw new BtwException(run + ": method '" + trained.method() + "' fine-tuned the encoders of "
                    + folders.keySet() + ", and its exported graph would hold the unimodal references for the "
                    + "instance policy, each trained with a differently fine-tuned encoder: one encoder per modality "
                    + "cannot feed both. Train with btw.inference modality-prior or uniform, or without fine_tune");
        }
        String stem = target.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path base = target.toAbsolutePath().getParent();
        Path root = base.resolve(stem + ".encoders");
        ObjectNode meta = JSON.createObjectNode();
        for (Map.Entry<String, Path> e : folders.entrySet()) {
            Path dest = root.resolve(e.getKey());
            try {
                Files.createDirectories(dest);
                for (String f : new String[] {FineTunedEncoderFolder.MODEL_FILE, "spec.yaml"}) {
                    Path tmp = dest.resolve(f + ".tmp");
                    Files.copy(e.getValue().resolve(f), tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(
                            tmp, dest.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException ex) {
                throw new BtwException(
                        "cannot copy the fine-tuned encoder of " + e.getKey() + " to " + dest + ": " + ex.getMessage(),
                        ex);
            }
            ObjectNode m = meta.putObject(e.getKey());
            m.put("folder", base.relativize(dest).toString().replace('\\', '/'));
            m.put("sha256", Sha256.of(dest.resolve(FineTunedEncoderFolder.MODEL_FILE)));
        }
        return meta.toString();
    }

    /**
     * The fine-tuned encoder folders a run wrote for one method and seed (for a unimodal reference, under the seed
     * it was trained with).
     *
     * @param run the run directory
     * @param method the method
     * @param seed the seed
     * @return spec folders by modality, empty when none
     */
    public static Map<String, Path> folders(Path run, String method, int seed) {
        return RunDirectory.of(run).fineTunedEncoders(method, seed);
    }

    /**
     * The fine-tuned encoders an exported file names, checked against their SHA-256.
     *
     * @param model an ONNX file written by {@code btw export}
     * @return spec folders by modality (empty when the file names none)
     * @throws BtwException when a named folder is missing or its model file's checksum differs
     */
    public static Map<String, Path> read(Path model) {
        Map<String, Path> out = new LinkedHashMap<>();
        String value = null;
        try (InputStream in = Files.newInputStream(model)) {
            for (OnnxMl.StringStringEntryProto p :
                    OnnxMl.ModelProto.parseFrom(in).getMetadataPropsList()) {
                if (p.getKey().equals(OnnxMetadata.FINE_TUNED_ENCODERS)) {
                    value = p.getValue();
                }
            }
        } catch (IOException e) {
            throw new BtwException(model + ": cannot read the model's metadata: " + e.getMessage(), e);
        }
        if (value == null) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(value);
            Path base = model.toAbsolutePath().getParent();
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                Path folder = base.resolve(e.getValue().path("folder").asText()).normalize();
                Path file = folder.resolve(FineTunedEncoderFolder.MODEL_FILE);
                if (!Files.isRegularFile(file)) {
                    throw new BtwException(model + " needs the fine-tuned encoder of modality " + e.getKey() + " at "
                            + file + " (btw export writes it beside the ONNX file; copy the .encoders folder with it)");
                }
                String sha = Sha256.of(file);
                if (!sha.equals(e.getValue().path("sha256").asText())) {
                    throw new BtwException(file + ": SHA-256 " + sha + " differs from the "
                            + e.getValue().path("sha256").asText() + " that " + model.getFileName() + " names");
                }
                out.put(e.getKey(), folder);
            }
        } catch (IOException e) {
            throw new BtwException(
                    model + ": malformed " + OnnxMetadata.FINE_TUNED_ENCODERS + " metadata: " + e.getMessage(), e);
        }
        return out;
    }
}

package dev.btw.djl.serve;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.io.Json;
import dev.btw.djl.export.OnnxMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported btw model says about itself: modality names in input order with their widths, the task and
 * class names, the method and its inference weights, and the training run's provenance.
 *
 * @param modalities modality name to input width, in input order
 * @param task regression or classification
 * @param classes class names (empty for regression)
 * @param method the training method
 * @param weights the inference weight per modality
 * @param provenance the run's provenance (JSON text)
 * @param merged for an end-to-end model, the modalities whose encoder is inside the graph, with the graph
 *     inputs that replace their vectors (empty otherwise)
 * @param graphInputs the graph's input names, in order
 * @param weightedModalities the column order of the graph's {@value OnnxMetadata#MODALITY_WEIGHTS_OUTPUT}
 *     output (the per-instance modality weights), or empty for a file exported without it
 */
public record FusionModelInfo(
        LinkedHashMap<String, Integer> modalities,
        Task task,
        List<String> classes,
        String method,
        Map<String, Double> weights,
        String provenance,
        Map<String, MergedEncoder> merged,
        List<String> graphInputs,
        List<String> weightedModalities) {

    /**
     * An encoder merged into an end-to-end model.
     *
     * @param encoder the encoder spec's name
     * @param inputs the graph inputs it reads (e.g. {@code text/input_ids}), in order
     */
    public record MergedEncoder(String encoder, List<String> inputs) {}

    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * Reads the metadata of an exported file.
     *
     * @param file an ONNX file written by {@code btw export}
     * @return its metadata
     * @throws BtwException when the file is missing, not ONNX, or not one of btw's
     */
    public static FusionModelInfo read(Path file) {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (NoSuchFileException e) {
            throw new BtwException("model file not found: " + file);
        } catch (IOException e) {
            throw new BtwException(file + ": not an ONNX model (truncated or another format): " + e.getMessage(), e);
        }
        Map<String, String> meta = new HashMap<>();
        for (OnnxMl.StringStringEntryProto p : model.getMetadataPropsList()) {
            meta.put(p.getKey(), p.getValue());
        }
        if (!meta.containsKey(OnnxMetadata.FORMAT) || !meta.containsKey(OnnxMetadata.MODALITIES)) {
            throw new BtwException(file + ": not a btw fusion model (no btw metadata; export one with 'btw export')");
        }
        try {
            LinkedHashMap<String, Integer> dims = JSON.readValue(
                    meta.get(OnnxMetadata.INPUT_DIMS), new TypeReference<LinkedHashMap<String, Integer>>() {});
            List<String> classes =
                    JSON.readValue(meta.getOrDefault(OnnxMetadata.CLASSES, "[]"), new TypeReference<List<String>>() {});
            Map<String, Double> weights = JSON.readValue(
                    meta.getOrDefault(OnnxMetadata.WEIGHTS, "{}"),
                    new TypeReference<LinkedHashMap<String, Double>>() {});
            Map<String, MergedEncoder> merged = new LinkedHashMap<>();
            if (meta.containsKey(OnnxMetadata.END_TO_END)) {
                JSON.readTree(meta.get(OnnxMetadata.END_TO_END)).fields().forEachRemaining(e -> {
                    List<String> inputs = new ArrayList<>();
                    e.getValue().path("inputs").forEach(i -> inputs.add(i.asText()));
                    merged.put(
                            e.getKey(),
                            new MergedEncoder(e.getValue().path("encoder").asText(), inputs));
                });
            }
            List<String> graphInputs = model.getGraph().getInputList().stream()
                    .map(OnnxMl.ValueInfoProto::getName)
                    .toList();
            List<String> weighted = List.of();
            boolean hasWeightsOutput = model.getGraph().getOutputList().stream()
                    .anyMatch(o -> o.getName().equals(OnnxMetadata.MODALITY_WEIGHTS_OUTPUT));
            if (hasWeightsOutput && meta.containsKey(OnnxMetadata.MODALITY_WEIGHTS)) {
                weighted =
                        JSON.readValue(meta.get(OnnxMetadata.MODALITY_WEIGHTS), new TypeReference<List<String>>() {});
            }
            return new FusionModelInfo(
                    dims,
                    Task.parse(meta.get(OnnxMetadata.TASK)),
                    classes,
                    meta.getOrDefault(OnnxMetadata.METHOD, ""),
                    weights,
                    meta.getOrDefault(OnnxMetadata.PROVENANCE, "{}"),
                    merged,
                    graphInputs,
                    List.copyOf(weighted));
        } catch (IOException | RuntimeException e) {
            throw new BtwException(file + ": malformed btw metadata: " + e.getMessage(), e);
        }
    }

    /** @return whether encoders are inside the graph (exported with {@code --end-to-end}) */
    public boolean endToEnd() {
        return !merged.isEmpty();
    }

    /** @return the name of the graph's output: {@code prediction} or {@code probabilities} */
    public String outputName() {
        return task == Task.CLASSIFICATION ? "probabilities" : "prediction";
    }
}

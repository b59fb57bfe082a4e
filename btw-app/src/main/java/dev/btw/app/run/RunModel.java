package dev.btw.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.GatingKind;
import dev.btw.core.io.Json;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.djl.model.MoeFusionSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run trained, as {@code btw train} records it in the run directory ({@value RunDirectory#MODEL}):
 * the fusion model's spec (modality names and widths in input order, outputs, sizes, gating), the task and class
 * names, the inference policy, the methods (in {@code metrics.json} order) and seeds, and each modality's encoder
 * reference. With it, a run directory describes its own models: {@code btw export} needs neither the original
 * config, nor the manifest, nor the feature store.
 *
 * <pre>{@code
 * RunModel model = RunDirectory.of(Path.of("runs/diabetes")).readModel();
 * MoeFusionSpec spec = model.fusion();
 * }</pre>
 *
 * @param task the task
 * @param classes class names for classification (in output order), empty for regression
 * @param fusion the fusion model's spec (every method's model; a unimodal reference's is {@code restrictTo(m)})
 * @param inference the inference policy of the run's config ({@code btw.inference})
 * @param methods the method names, in {@code metrics.json} order
 * @param seeds the seeds, in training order
 * @param encoders modality to its encoder reference: {@code columns}, {@code vectors}, a spec name, or the spec
 *     folder's absolute path (a path in the config is resolved against the config's folder at training time)
 */
public record RunModel(
        Task task,
        List<String> classes,
        MoeFusionSpec fusion,
        InferencePolicy inference,
        List<String> methods,
        List<Integer> seeds,
        Map<String, String> encoders) {

    /** The version of {@value RunDirectory#MODEL}'s layout that this code writes and reads. */
    public static final int FORMAT = 1;

    /** Copies the collections. */
    public RunModel {
        classes = List.copyOf(classes);
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
        encoders = Collections.unmodifiableMap(new LinkedHashMap<>(encoders));
    }

    /** @return the JSON document of {@value RunDirectory#MODEL} */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("task", task.toString());
        classes.forEach(root.putArray("classes")::add);
        ObjectNode f = root.putObject("fusion");
        ObjectNode dims = f.putObject("modalities");
        fusion.inputDims().forEach(dims::put);
        f.put("outputs", fusion.outputs());
        f.put("hidden", fusion.hidden());
        f.put("layers", fusion.layers());
        f.put("experts", fusion.experts());
        f.put("top_k", fusion.topK());
        f.put("expert_hidden", fusion.expertHidden());
        f.put("ff_hidden", fusion.ffHidden());
        f.put("head_hidden", fusion.headHidden());
        f.put("dropout", fusion.dropout());
        f.put("gating", fusion.gating().name().toLowerCase(Locale.ROOT));
        f.put("noisy_gating", fusion.noisyGating());
        f.put("noise_epsilon", fusion.noiseEpsilon());
        f.put("load_balance", fusion.loadBalance());
        root.put("inference", inference.toString());
        methods.forEach(root.putArray("methods")::add);
        seeds.forEach(root.putArray("seeds")::add);
        ObjectNode enc = root.putObject("encoders");
        encoders.forEach(enc::put);
        return root;
    }

    /**
     * Reads the JSON document of {@value RunDirectory#MODEL}.
     *
     * @param root the document
     * @param source the file, for messages
     * @return the model
     * @throws BtwException naming the file and the key when a key is missing or malformed, or the format is newer
     */
    public static RunModel fromJson(JsonNode root, String source) {
        Reader r = new Reader(source);
        int format = r.integer(root, "format");
        if (format != FORMAT) {
            throw new BtwException(source + ": format " + format + " is not the " + FORMAT + " this btw reads "
                    + "(written by another btw version?)");
        }
        JsonNode f = r.required(root, "fusion");
        MoeFusionSpec.Builder b = MoeFusionSpec.builder();
        JsonNode dims = r.required(f, "modalities");
        dims.fields().forEachRemaining(e -> b.addModality(e.getKey(), r.integer(dims, e.getKey())));
        MoeFusionSpec spec;
        try {
            spec = b.setOutputs(r.integer(f, "outputs"))
                    .optHidden(r.integer(f, "hidden"))
                    .optLayers(r.integer(f, "layers"))
                    .optExperts(r.integer(f, "experts"))
                    .optTopK(r.integer(f, "top_k"))
                    .optExpertHidden(r.integer(f, "expert_hidden"))
                    .optFfHidden(r.integer(f, "ff_hidden"))
                    .optHeadHidden(r.integer(f, "head_hidden"))
                    .optDropout((float) r.number(f, "dropout"))
                    .optGating(GatingKind.parse(r.text(f, "gating")))
                    .optNoisyGating(r.bool(f, "noisy_gating"))
                    .optNoiseEpsilon((float) r.number(f, "noise_epsilon"))
                    .optLoadBalance((float) r.number(f, "load_balance"))
                    .build();
        } catch (IllegalArgumentException | BtwException e) {
            throw new BtwException(source + ": key 'fusion': " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        r.array(root, "classes").forEach(c -> classes.add(c.asText()));
        List<String> methods = new ArrayList<>();
        r.array(root, "methods").forEach(m -> methods.add(m.asText()));
        List<Integer> seeds = new ArrayList<>();
        r.array(root, "seeds").forEach(s -> seeds.add(s.asInt()));
        if (methods.isEmpty() || seeds.isEmpty()) {
            throw new BtwException(source + ": the lists 'methods' and 'seeds' must not be empty");
        }
        Map<String, String> encoders = new LinkedHashMap<>();
        JsonNode enc = r.required(root, "encoders");
        enc.fields().forEachRemaining(e -> encoders.put(e.getKey(), e.getValue().asText()));
        Task task;
        InferencePolicy inference;
        try {
            task = Task.parse(r.text(root, "task"));
            inference = InferencePolicy.parse(r.text(root, "inference"));
        } catch (BtwException e) {
            throw new BtwException(source + ": " + e.getMessage(), e);
        }
        return new RunModel(task, classes, spec, inference, methods, seeds, encoders);
    }

    /** Reads typed keys, naming the file and the key in every failure. */
    private record Reader(String source) {

        JsonNode required(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new BtwException(source + ": no key '" + key + "'");
            }
            return v;
        }

        int integer(JsonNode node, String key) {
            JsonNode v = required(node, key);
            if (!v.isInt()) {
                throw new BtwException(source + ": key '" + key + "' must be a whole number, got " + v);
            }
            return v.asInt();
        }

        double number(JsonNode node, String key) {
            JsonNode v = required(node, key);
            if (!v.isNumber()) {
                throw new BtwException(source + ": key '" + key + "' must be a number, got " + v);
            }
            return v.asDouble();
        }

        boolean bool(JsonNode node, String key) {
            JsonNode v = required(node, key);
            if (!v.isBoolean()) {
                throw new BtwException(source + ": key '" + key + "' must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        String text(JsonNode node, String key) {
            JsonNode v = required(node, key);
            if (!v.isTextual()) {
                throw new BtwException(source + ": key '" + key + "' must be text, got " + v);
            }
            return v.asText();
        }

        JsonNode array(JsonNode node, String key) {
            JsonNode v = required(node, key);
            if (!v.isArray()) {
                throw new BtwException(source + ": key '" + key + "' must be a list, got " + v);
            }
            return v;
        }
    }
}

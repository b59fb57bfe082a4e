package dev.btw.app.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.app.experiment.Checkpoint;
import dev.btw.app.experiment.FusionModel;
import dev.btw.app.experiment.Method;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.core.io.Json;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.djl.export.FusionOnnxExporter;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.InstancePolicySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One trained fusion model read back from a run directory: the model of a method and seed at its best
 * checkpoint, with the task, class names, inference-time modality weights and the run's provenance. Under the
 * {@code instance} inference policy it also holds the run's unimodal references (at their best checkpoints) and
 * the policy's recorded settings ({@link InstancePolicySettings}), which the export puts into the graph.
 */
public final class TrainedFusion implements AutoCloseable {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final FusionModel model;
    private final Task task;
    private final List<String> classes;
    private final String method;
    private final int seed;
    private final InferencePolicy policy;
    private final Map<String, Double> weights;
    private final String provenance;
    private final Map<String, Standardisation> standardisation;
    private final Standardisation labelScale;
    private final InstanceParts instance;

    private TrainedFusion(
            FusionModel model,
            Task task,
            List<String> classes,
            String method,
            int seed,
            InferencePolicy policy,
            Map<String, Double> weights,
            String provenance,
            Map<String, Standardisation> standardisation,
            Standardisation labelScale,
            InstanceParts instance) {
        this.model = model;
        this.task = task;
        this.classes = classes;
        this.method = method;
        this.seed = seed;
        this.policy = policy;
        this.weights = weights;
        this.provenance = provenance;
        this.standardisation = standardisation;
        this.labelScale = labelScale;
        this.instance = instance;
    }

    /**
     * Loads a method's model from a run directory.
     *
     * @param run the run directory
     * @param method the method, or null for the run's first BTW method (else {@code uniform})
     * @param seed the seed, or null for the run's first seed
     * @return the model, on the CPU
     * @throws BtwException when the run, method, seed or checkpoint is missing, or the method has no single model;
     *     under the instance policy also when a unimodal reference or the policy's settings are missing
     */
    public static TrainedFusion load(Path run, String method, Integer seed) {
        RunDirectory dir = RunDirectory.of(run);
        RunModel described = dir.readModel();
        JsonNode provenance = RunDirectory.readJson(dir.provenance());
        JsonNode scaling = RunDirectory.readJson(dir.standardisation());
        Task task = described.task();
        List<String> methods = described.methods();
        String chosen = method != null ? method : defaultMethod(methods);
        Method parsed = Method.parse(chosen);
        if (parsed instanceof Method.LateAverage) {
            throw new BtwException("method 'late-average' averages the unimodal references and has no single model "
                    + "to export; export a unimodal reference or a fusion method");
        }
        if (parsed instanceof Method.Linear) {
            throw new BtwException("method 'linear' is the early-fusion linear baseline (a Tribuo model kept for "
                    + "comparison) and has no fusion model to export; export a unimodal reference or a fusion method");
        }
        if (!methods.contains(chosen)) {
            throw new BtwException(
                    run + ": no method '" + chosen + "' in this run (has " + String.join(", ", methods) + ")");
        }
        List<Integer> seeds = described.seeds();
        int chosenSeed = seed != null ? seed : seeds.get(0);
        boolean unimodal = parsed instanceof Method.Unimodal;
        Path checkpoint = dir.bestCheckpoint(chosen, unimodal ? dir.checkpointSeed(chosen, chosenSeed) : chosenSeed);
        if (!Files.isRegularFile(checkpoint)) {
            throw new BtwException(run + ": no best checkpoint for method '" + chosen + "' and seed " + chosenSeed
                    + " (" + run.relativize(checkpoint) + ")");
        }
        List<String> classes = described.classes();
        MoeFusionSpec spec = described.fusion();
        if (unimodal) {
            spec = spec.restrictTo(((Method.Unimodal) parsed).modality());
        }
        FusionModel model = new FusionModel(spec, task, Device.cpu(), chosenSeed);
        Checkpoint.Restored restored;
        try {
            restored = Checkpoint.read(checkpoint, model, null);
        } catch (BtwException e) {
            model.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new BtwException(
                    checkpoint + ": cannot read checkpoint (truncated or of another model?): " + e.getMessage(), e);
        }
        InferencePolicy policy = described.inference();
        Map<String, Double> weights = new LinkedHashMap<>();
        boolean weighted = restored.weights() != null && policy != InferencePolicy.UNIFORM;
        Map<String, Double> prior = weighted
                ? LabelFreeWeights.builder(InferencePolicy.MODALITY_PRIOR)
                        .setTrainingWeights(restored.weights())
                        .build()
                        .prior()
                : Map.of();
        for (String m : spec.modalityNames()) {
            Double w = prior.get(m);
            weights.put(m, w == null || w.isNaN() ? 1.0 : w);
        }
        Standardisation labelScale;
        InstancePolicySettings instance = null;
        Map<String, FusionModel> references = new LinkedHashMap<>();
        Map<String, Standardisation> referenceScales = new LinkedHashMap<>();
        try {
            labelScale = labelScale(scaling, task, chosen);
            if (weighted && policy == InferencePolicy.INSTANCE) {
                instance = InstancePolicySettings.read(checkpoint.getParent(), task);
                if (spec.modalityCount() > 1) {
                    for (String m : spec.modalityNames()) {
                        references.put(m, reference(dir, m, spec, task));
                        if (task == Task.REGRESSION) {
                            referenceScales.put(
                                    m,
                                    labelScale(scaling, task, Method.unimodal(m).toString()));
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            references.values().forEach(FusionModel::close);
            model.close();
            throw e;
        }
        return new TrainedFusion(
                model,
                task,
                classes,
                chosen,
                chosenSeed,
                weighted ? policy : InferencePolicy.UNIFORM,
                weights,
                provenance.toString(),
                standardisation(scaling),
                labelScale,
                new InstanceParts(instance, references, referenceScales));
    }

    /** What the instance policy adds: its settings and the unimodal references (empty for other policies). */
    private record InstanceParts(
            InstancePolicySettings settings,
            Map<String, FusionModel> references,
            Map<String, Standardisation> labelScales) {}

    /**
     * A unimodal reference of the run at its best checkpoint, under the seed it was trained with (recorded in
     * {@code references/<modality>/done.json}).
     */
    private static FusionModel reference(RunDirectory run, String modality, MoeFusionSpec spec, Task task) {
        String method = Method.unimodal(modality).toString();
        Path done = run.referenceDone(modality);
        JsonNode seed = RunDirectory.readJson(done).path("seed");
        if (!seed.isInt()) {
            throw new BtwException(done + ": no 'seed' of the unimodal reference of '" + modality + "'");
        }
        Path checkpoint = run.bestCheckpoint(method, seed.asInt());
        if (!Files.isRegularFile(checkpoint)) {
            throw new BtwException(run + ": the instance policy needs the unimodal reference of '" + modality
                    + "', but its best checkpoint is missing (" + run.root().relativize(checkpoint) + ")");
        }
        FusionModel model = new FusionModel(spec.restrictTo(modality), task, Device.cpu(), seed.asInt());
        try {
            Checkpoint.read(checkpoint, model, null);
        } catch (BtwException e) {
            model.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new BtwException(
                    checkpoint + ": cannot read checkpoint (truncated or of another model?): " + e.getMessage(), e);
        }
        return model;
    }

    private static Map<String, Standardisation> standardisation(JsonNode node) {
        Map<String, Standardisation> out = new LinkedHashMap<>();
        node.path("features").fields().forEachRemaining(e -> out.put(e.getKey(), standardisationOf(e.getValue())));
        return out;
    }

    private static Standardisation standardisationOf(JsonNode n) {
        return new Standardisation(
                JSON.convertValue(n.get("mean"), double[].class), JSON.convertValue(n.get("std"), double[].class));
    }

    /** The label scaling the chosen model was trained with, or null for classification. */
    private static Standardisation labelScale(JsonNode node, Task task, String method) {
        if (task != Task.REGRESSION) {
            return null;
        }
        JsonNode label = Method.parse(method) instanceof Method.Unimodal u
                ? node.path("label_unimodal").path(u.modality())
                : node.path("label");
        if (!label.has("mean")) {
            throw new BtwException(
                    "the run's " + RunDirectory.STANDARDISATION + " has no label scaling for '" + method + "'");
        }
        return standardisationOf(label);
    }

    private static String defaultMethod(List<String> methods) {
        for (String m : methods) {
            if (Method.parse(m) instanceof Method.Fusion f && !f.uniform()) {
                return m;
            }
        }
        String uniform = Method.fusion(CombinationRule.UNIFORM).toString();
        return methods.contains(uniform) || methods.isEmpty() ? uniform : methods.get(0);
    }

    /** @return the model (its block holds the trained parameters) */
    public FusionModel model() {
        return model;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return class names for classification, empty for regression */
    public List<String> classes() {
        return classes;
    }

    /** @return the method name */
    public String method() {
        return method;
    }

    /** @return the seed */
    public int seed() {
        return seed;
    }

    /** @return the inference policy whose weights are used */
    public InferencePolicy policy() {
        return policy;
    }

    /**
     * @return the inference weight per modality, in model order; under the instance policy, the modality prior of
     *     the first pass (the final weights are computed per instance)
     */
    public Map<String, Double> weights() {
        return weights;
    }

    /**
     * @return the weights for a message: {@code "modality-prior weights {a=0.4, b=0.6}"}, or for the instance
     *     policy {@code "instance weights (per instance, first pass under the prior {a=0.4, b=0.6})"}
     */
    public String weightsDescription() {
        return policy == InferencePolicy.INSTANCE
                ? "instance weights (per instance, first pass under the prior " + weights + ")"
                : policy + " weights " + weights;
    }

    /** @return the training standardisation of each modality's features, applied inside the exported graph */
    public Map<String, Standardisation> standardisation() {
        return standardisation;
    }

    /** @return the run's provenance, as JSON text */
    public String provenance() {
        return provenance;
    }

    /**
     * Builds the ONNX model with btw's metadata: modality names and order, input widths, task, class names,
     * method, seed, inference policy and weights (the prior of the first pass for the instance policy), and the
     * run's provenance.
     *
     * @return the model file, ready to write
     */
    public OnnxModelFile toOnnx() {
        MoeFusionSpec spec = model.spec();
        FusionOnnxExporter exporter = new FusionOnnxExporter(model.block());
        OnnxModelFile file;
        if (policy == InferencePolicy.INSTANCE) {
            Map<String, FusionOnnxExporter.Reference> references = new LinkedHashMap<>();
            instance.references()
                    .forEach((m, r) -> references.put(
                            m,
                            new FusionOnnxExporter.Reference(
                                    r.block(), instance.labelScales().get(m))));
            file = exporter.exportInstance(task, weights, standardisation, labelScale, references, instance.settings());
        } else {
            file = exporter.export(task, weights, standardisation, labelScale);
        }
        try {
            file.optMetadata(OnnxMetadata.FORMAT, "1")
                    .optMetadata(OnnxMetadata.MODALITIES, String.join(",", spec.modalityNames()))
                    .optMetadata(OnnxMetadata.INPUT_DIMS, JSON.writeValueAsString(spec.inputDims()))
                    .optMetadata(OnnxMetadata.TASK, task.name().toLowerCase(Locale.ROOT))
                    .optMetadata(OnnxMetadata.CLASSES, JSON.writeValueAsString(classes))
                    .optMetadata(OnnxMetadata.METHOD, method)
                    .optMetadata(OnnxMetadata.SEED, Integer.toString(seed))
                    .optMetadata(OnnxMetadata.INFERENCE, policy.toString())
                    .optMetadata(OnnxMetadata.WEIGHTS, JSON.writeValueAsString(weights))
                    .optMetadata(OnnxMetadata.PROVENANCE, provenance)
                    .optDocString("btw fusion model (" + method + ", seed " + seed + "). Inputs: one per modality, "
                            + "[batch, width]; a row of NaN marks a missing modality.");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    @Override
    public void close() {
        instance.references().values().forEach(FusionModel::close);
        model.close();
    }
}

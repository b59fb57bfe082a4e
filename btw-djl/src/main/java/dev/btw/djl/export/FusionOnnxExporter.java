package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.export.FusionBodyWriter.PassWeights;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.InstancePolicySettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a trained {@link MoeFusionBlock} as one ONNX graph that computes what the block computes in evaluation
 * mode (no gating noise, no dropout), under the inference-time modality weights: constants baked in (the
 * {@code modality-prior} and {@code uniform} policies), or computed per instance inside the graph from the
 * unimodal references and a first pass under the prior (the {@code instance} policy,
 * {@link #exportInstance}).
 *
 * <p>Inputs: one float input per modality, named by the modality, {@code [batch, d_m]}, standardised inside the
 * graph with the training statistics when they are given. A modality is missing
 * for an instance when its row holds a NaN; it is then masked exactly as in training. Outputs: first
 * {@code prediction} {@code [batch, 1]} for regression, {@code probabilities} {@code [batch, C]} (softmax) for
 * classification; second {@value OnnxMetadata#MODALITY_WEIGHTS_OUTPUT} {@code [batch, M]}, the weight the fused
 * block gave each modality for each instance (the per-instance weights of the {@code instance} policy, the baked
 * constant otherwise; 0 where the modality is missing), its columns in the order the metadata key
 * {@value OnnxMetadata#MODALITY_WEIGHTS} lists. Class names go into {@value OnnxMetadata#CLASSES}: those given to
 * {@link #optClasses(List)}, else the class indices {@code "0"}, {@code "1"}, ...
 *
 * <p>Every pass of a block is written by one {@link FusionBodyWriter}, so the fused block's parameters are stored
 * once however many passes use them. The sparse MoE is written as the block's dispatch is: for each expert,
 * {@code NonZero} finds the (token, slot) pairs routed to it, the expert runs on exactly those tokens, and
 * {@code ScatterND} puts its outputs in place; no expert runs on a token that did not choose it, so a batch of
 * one reads only the chosen experts' weights.
 */
public final class FusionOnnxExporter {

    private final MoeFusionBlock block;
    private final MoeFusionSpec spec;
    private final OnnxGraph g = new OnnxGraph();
    private final FusionBodyWriter fused;
    private List<String> classes;

    /**
     * An exporter writes one graph: call one of the export methods once.
     *
     * @param block a trained, initialised block
     */
    public FusionOnnxExporter(MoeFusionBlock block) {
        require(block, "block");
        this.block = block;
        this.spec = block.spec();
        this.fused = new FusionBodyWriter(g, block, "");
    }

    /**
     * Names the classes of a classification model, written into the metadata and returned by
     * {@code FusionModels}' predictor. Call it before an export method.
     *
     * @param classNames one name per output of the block, in output order (the label's classes)
     * @return this
     * @throws IllegalArgumentException when the count does not match the block's outputs, or a name is null,
     *     blank or repeated
     */
    public FusionOnnxExporter optClasses(List<String> classNames) {
        if (classNames == null) {
            throw new IllegalArgumentException("classNames is null; pass one name per class, in output order");
        }
        if (classNames.size() != spec.outputs()) {
            throw new IllegalArgumentException(classNames.size() + " class names " + classNames + " for a block with "
                    + spec.outputs() + " outputs");
        }
        if (new LinkedHashSet<>(classNames).size() != classNames.size()
                || classNames.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw new IllegalArgumentException("class names must be non-blank and distinct: " + classNames);
        }
        this.classes = List.copyOf(classNames);
        return this;
    }

    /**
     * Builds the graph, with the metadata {@code FusionModels.load} needs to serve it (format, modalities and
     * widths, task, class names, the order of the modality weights output).
     *
     * @param task regression or classification
     * @param modalityWeights the inference weight of each modality (for instance the modality prior), by name
     * @return the model, to which metadata may still be added
     * @throws IllegalArgumentException when an argument is null or a modality has no weight
     */
    public OnnxModelFile export(Task task, Map<String, Double> modalityWeights) {
        return export(task, modalityWeights, Map.of(), null);
    }

    /**
     * Builds the graph with each modality's training standardisation applied to its input first, so that the
     * model takes the vectors the encoders produce.
     *
     * @param task regression or classification
     * @param modalityWeights the inference weight of each modality, by name
     * @param standardisation per modality, the train mean and std of its features; modalities absent from the map
     *     are taken as they come
     * @param labelScale for regression, the label scaling of training (the output becomes {@code y * std + mean}),
     *     or null
     * @return the model, to which metadata may still be added
     */
    public OnnxModelFile export(
            Task task,
            Map<String, Double> modalityWeights,
            Map<String, Standardisation> standardisation,
            Standardisation labelScale) {
        require(task, "task");
        require(modalityWeights, "modalityWeights");
        require(standardisation, "standardisation");
        Inputs in = inputs(standardisation);
        ONNXRef<?> out = fused.forward(in.clean(), in.present(), PassWeights.baked(modalityWeights));
        // the weights the pass used: each constant times the modality's presence
        List<String> names = spec.modalityNames();
        float[] w = new float[names.size()];
        for (int j = 0; j < w.length; j++) {
            w[j] = modalityWeights.get(names.get(j)).floatValue();
        }
        ONNXRef<?> present = names.size() == 1 ? in.present().get(0) : g.concat(1, in.present());
        ONNXRef<?> used = g.op(OnnxOp.MUL, present, g.tensor("baked_weights", w, 1, w.length));
        return finish(task, out, used, labelScale);
    }

    /**
     * Builds the graph of the {@code instance} inference policy: the unimodal references and a first pass of the
     * fused block under the modality prior give, per instance, the label-free weights {@code [batch, M]} that
     * {@code LabelFreeWeights} computes (see {@link InstanceWeightsWriter}); the fused block then runs again under
     * those weights. Inputs and outputs are those of {@link #export(Task, Map, Map, Standardisation)}.
     *
     * @param task regression or classification
     * @param prior the modality prior w^m of the first pass, by name
     * @param standardisation per modality, the train mean and std of its features (modalities absent from the
     *     map are taken as they come); the references take the same standardised inputs
     * @param labelScale for regression, the fused model's label scaling (required), else ignored
     * @param references per modality, its trained unimodal reference (needed when there are two modalities or
     *     more)
     * @param settings the run's instance-policy settings
     * @return the model, to which metadata may still be added
     */
    public OnnxModelFile exportInstance(
            Task task,
            Map<String, Double> prior,
            Map<String, Standardisation> standardisation,
            Standardisation labelScale,
            Map<String, Reference> references,
            InstancePolicySettings settings) {
        require(task, "task");
        require(prior, "prior");
        require(standardisation, "standardisation");
        require(references, "references");
        require(settings, "settings");
        List<String> names = spec.modalityNames();
        int m = names.size();
        if (task == Task.REGRESSION && labelScale == null) {
            throw new IllegalArgumentException("the instance policy needs the fused model's label scaling");
        }
        Inputs in = inputs(standardisation);
        ONNXRef<?> weights;
        if (m == 1) {
            weights = in.present().get(0);
        } else {
            float[] w = new float[m];
            for (int j = 0; j < m; j++) {
                Double v = prior.get(names.get(j));
                if (v == null) {
                    throw new IllegalArgumentException("no prior weight for modality '" + names.get(j) + "'");
                }
                w[j] = v.floatValue();
            }
            ONNXRef<?> first =
                    fused.forward(in.clean(), in.present(), PassWeights.tensor(g.tensor("prior_weights", w, 1, m)));
            List<ONNXRef<?>> unimodal = new ArrayList<>();
            Map<String, Standardisation> scales = new LinkedHashMap<>();
            for (int j = 0; j < m; j++) {
                String name = names.get(j);
                Reference r = references.get(name);
                if (r == null) {
                    throw new IllegalArgumentException("no unimodal reference for modality '" + name + "'");
                }
                MoeFusionSpec rs = r.block().spec();
                if (!rs.modalityNames().equals(List.of(name))
                        || rs.inputDim(name) != spec.inputDim(name)
                        || rs.outputs() != spec.outputs()) {
                    throw new IllegalArgumentException("the reference of '" + name + "' is not a unimodal model of "
                            + "it with " + spec.inputDim(name) + " inputs and " + spec.outputs() + " outputs: " + rs);
                }
                if (task == Task.REGRESSION) {
                    if (r.labelScale() == null) {
                        throw new IllegalArgumentException("no label scaling for the reference of '" + name + "'");
                    }
                    scales.put(name, r.labelScale());
                }
                FusionBodyWriter writer = new FusionBodyWriter(g, r.block(), "reference_" + name + "_");
                unimodal.add(writer.forward(
                        List.of(in.clean().get(j)),
                        List.of(in.present().get(j)),
                        PassWeights.tensor(g.tensor("unit_weight", new float[] {1f}, 1, 1))));
            }
            weights = new InstanceWeightsWriter(g, task, settings)
                    .weights(names, in.present(), unimodal, scales, first, labelScale);
        }
        ONNXRef<?> out = fused.forward(in.clean(), in.present(), PassWeights.tensor(weights));
        return finish(task, out, weights, labelScale);
    }

    /**
     * A unimodal reference model for the {@code instance} policy.
     *
     * @param block the trained reference block (one modality)
     * @param labelScale its label scaling (regression), or null
     */
    public record Reference(MoeFusionBlock block, Standardisation labelScale) {}

    /** Each modality's standardised, NaN-free input and its presence (float {@code [batch, 1]}), in model order. */
    private record Inputs(List<ONNXRef<?>> clean, List<ONNXRef<?>> present) {}

    private Inputs inputs(Map<String, Standardisation> standardisation) {
        List<ONNXRef<?>> clean = new ArrayList<>();
        List<ONNXRef<?>> present = new ArrayList<>();
        for (String name : spec.modalityNames()) {
            ONNXRef<?> x = g.input(name, spec.inputDim(name));
            Standardisation st = standardisation.get(name);
            if (st != null) {
                if (st.width() != spec.inputDim(name)) {
                    throw new IllegalArgumentException("standardisation of '" + name + "' has width " + st.width()
                            + ", the model takes " + spec.inputDim(name));
                }
                x = g.op(
                        OnnxOp.DIV,
                        g.op(OnnxOp.SUB, x, g.tensor(name + "_mean", floats(st.mean()), st.width())),
                        g.tensor(name + "_std", floats(st.std()), st.width()));
            }
            ONNXRef<?> nan = g.op(OnnxOp.IS_NAN, x);
            clean.add(g.op(OnnxOp.WHERE, nan, g.scalar("zero", 0f), x));
            ONNXRef<?> rowHasNan =
                    g.op(OnnxOp.IS_NAN, g.op(OnnxOp.REDUCE_SUM, List.of(x, g.longs("axes", 1)), Map.of("keepdims", 1)));
            present.add(g.op(
                    OnnxOp.CAST,
                    List.of(g.op(OnnxOp.NOT, rowHasNan)),
                    Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
        }
        return new Inputs(clean, present);
    }

    private static void require(Object argument, String name) {
        if (argument == null) {
            throw new IllegalArgumentException(name + " is null");
        }
    }

    /**
     * The outputs: softmax probabilities, or the prediction on the original label scale; then the modality
     * weights the pass used, float {@code [batch, M]}.
     */
    private OnnxModelFile finish(Task task, ONNXRef<?> out, ONNXRef<?> weights, Standardisation labelScale) {
        if (task == Task.CLASSIFICATION) {
            g.output(g.op(OnnxOp.SOFTMAX, List.of(out), Map.of("axis", -1)), "probabilities", spec.outputs());
        } else {
            if (labelScale != null) {
                out = g.op(
                        OnnxOp.ADD,
                        g.op(OnnxOp.MUL, out, g.scalar("label_std", (float)
                                labelScale.std()[0])),
                        g.scalar("label_mean", (float) labelScale.mean()[0]));
            }
            g.output(out, "prediction", spec.outputs());
        }
        g.output(weights, OnnxMetadata.MODALITY_WEIGHTS_OUTPUT, spec.modalityCount());
        // the metadata FusionModels needs to serve the file; TrainedFusion adds the run's (method, seed, ...)
        List<String> classNames = new ArrayList<>();
        if (task == Task.CLASSIFICATION) {
            if (classes != null) {
                classNames.addAll(classes);
            } else {
                for (int c = 0; c < spec.outputs(); c++) {
                    classNames.add(Integer.toString(c));
                }
            }
        }
        String dims;
        String classesJson;
        String weightsOrder;
        try {
            ObjectMapper json = new ObjectMapper();
            dims = json.writeValueAsString(spec.inputDims());
            classesJson = json.writeValueAsString(classNames);
            weightsOrder = json.writeValueAsString(spec.modalityNames());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new OnnxModelFile(g, "btw_fusion")
                .optMetadata(OnnxMetadata.FORMAT, "1")
                .optMetadata(OnnxMetadata.MODALITIES, String.join(",", spec.modalityNames()))
                .optMetadata(OnnxMetadata.INPUT_DIMS, dims)
                .optMetadata(OnnxMetadata.TASK, task.name().toLowerCase(Locale.ROOT))
                .optMetadata(OnnxMetadata.CLASSES, classesJson)
                .optMetadata(OnnxMetadata.MODALITY_WEIGHTS, weightsOrder);
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** @return the block being exported */
    public MoeFusionBlock block() {
        return block;
    }
}

package dev.btw.djl.export;

import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.model.GatingKind;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a trained {@link MoeFusionBlock} as one ONNX graph that computes what the block computes in evaluation
 * mode (no gating noise, no dropout), with the inference-time modality weights baked in.
 *
 * <p>Inputs: one float input per modality, named by the modality, {@code [batch, d_m]}, standardised inside the
 * graph with the training statistics when they are given. A modality is missing
 * for an instance when its row holds a NaN; it is then masked exactly as in training. Output: {@code prediction}
 * {@code [batch, 1]} for regression, {@code probabilities} {@code [batch, C]} (softmax) for classification.
 *
 * <p>The sparse MoE is written as the block's dispatch is: for each expert, {@code NonZero} finds the (token, slot)
 * pairs routed to it, the expert runs on exactly those tokens, and {@code ScatterND} puts its outputs in place;
 * no expert runs on a token that did not choose it, so a batch of one reads only the chosen experts' weights.
 */
public final class FusionOnnxExporter {

    private final MoeFusionBlock block;
    private final MoeFusionSpec spec;
    private final BlockParameters params;
    private final OnnxGraph g = new OnnxGraph();

    /** @param block a trained, initialised block */
    public FusionOnnxExporter(MoeFusionBlock block) {
        this.block = block;
        this.spec = block.spec();
        this.params = new BlockParameters(block);
    }

    /**
     * Builds the graph.
     *
     * @param task regression or classification
     * @param modalityWeights the inference weight of each modality (for instance the modality prior), by name
     * @return the model, to which metadata may still be added
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
    public OnnxModelFile export(Task task, Map<String, Double> modalityWeights,
            Map<String, Standardisation> standardisation, Standardisation labelScale) {
        List<String> names = spec.modalityNames();
        int m = names.size();
        int d = spec.hidden();
        List<ONNXRef<?>> present = new ArrayList<>();
        List<ONNXRef<?>> scaled = new ArrayList<>();
        for (String name : names) {
            Double w = modalityWeights.get(name);
            if (w == null) {
                throw new IllegalArgumentException("no inference weight for modality '" + name + "'");
            }
            ONNXRef<?> x = g.input(name, spec.inputDim(name));
            Standardisation st = standardisation.get(name);
            if (st != null) {
                if (st.width() != spec.inputDim(name)) {
                    throw new IllegalArgumentException("standardisation of '" + name + "' has width " + st.width()
                            + ", the model takes " + spec.inputDim(name));
                }
                x = g.op(OnnxOp.DIV, g.op(OnnxOp.SUB, x, g.tensor(name + "_mean", floats(st.mean()), st.width())),
                        g.tensor(name + "_std", floats(st.std()), st.width()));
            }
            ONNXRef<?> nan = g.op(OnnxOp.IS_NAN, x);
            ONNXRef<?> clean = g.op(OnnxOp.WHERE, nan, g.scalar("zero", 0f), x);
            ONNXRef<?> rowHasNan = g.op(OnnxOp.IS_NAN, g.op(OnnxOp.REDUCE_SUM, List.of(x, g.longs("axes", 1)),
                    Map.of("keepdims", 1)));
            ONNXRef<?> p = g.op(OnnxOp.CAST, List.of(g.op(OnnxOp.NOT, rowHasNan)),
                    Map.of("to", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
            present.add(p);
            ONNXRef<?> h = projection(clean, name);
            float factor = (float) (w * Math.sqrt(d));
            h = g.op(OnnxOp.MUL, g.op(OnnxOp.MUL, h, p), g.scalar("w_" + name, factor));
            scaled.add(g.unsqueeze(h, 0));
        }
        ONNXRef<?> h = m == 1 ? scaled.get(0) : g.concat(0, scaled);
        ONNXRef<?> mask3 = m == 1 ? g.unsqueeze(present.get(0), 0) : g.concat(0, unsqueezeAll(present));
        for (int layer = 0; layer < spec.layers(); layer++) {
            h = fusionLayer(h, mask3, "layer" + layer);
        }
        ONNXRef<?> normed = g.op(OnnxOp.LAYER_NORM, List.of(h, g.tensor("unit", ones(d), d),
                g.tensor("nil", new float[d], d)), Map.of("axis", -1, "epsilon", 1e-5f));
        normed = g.op(OnnxOp.ADD, g.op(OnnxOp.MUL, normed, g.tensor("final_norm_gamma",
                params.get("final_norm_gamma"), m, 1, d)), g.tensor("final_norm_beta", params.get("final_norm_beta"),
                m, 1, d));
        normed = g.op(OnnxOp.MUL, normed, mask3);
        ONNXRef<?> concat = g.op(OnnxOp.RESHAPE, g.op(OnnxOp.TRANSPOSE, List.of(normed), Map.of("perm",
                new int[] {1, 0, 2})), g.longs("shape", -1, (long) m * d));
        ONNXRef<?> out = head(concat);
        if (task == Task.CLASSIFICATION) {
            g.output(g.op(OnnxOp.SOFTMAX, List.of(out), Map.of("axis", -1)), "probabilities", spec.outputs());
        } else {
            if (labelScale != null) {
                out = g.op(OnnxOp.ADD, g.op(OnnxOp.MUL, out, g.scalar("label_std", (float) labelScale.std()[0])),
                        g.scalar("label_mean", (float) labelScale.mean()[0]));
            }
            g.output(out, "prediction", spec.outputs());
        }
        return new OnnxModelFile(g, "btw_fusion");
    }

    private List<ONNXRef<?>> unsqueezeAll(List<ONNXRef<?>> present) {
        List<ONNXRef<?>> out = new ArrayList<>();
        for (ONNXRef<?> p : present) {
            out.add(g.unsqueeze(p, 0));
        }
        return out;
    }

    private ONNXRef<?> projection(ONNXRef<?> x, String name) {
        String child = "projection_" + name;
        int d = spec.hidden();
        ONNXRef<?> h = g.linear(x, child + "_in", params.get(child, "in_weight"), params.get(child, "in_bias"), d,
                spec.inputDim(name));
        h = g.op(OnnxOp.RELU, h);
        return g.linear(h, child + "_out", params.get(child, "out_weight"), params.get(child, "out_bias"), d, d);
    }

    /** One {@code FusionLayerBlock}: mixing, MoE, residual, feed-forward, mask. h is {@code [M, B, d]}. */
    private ONNXRef<?> fusionLayer(ONNXRef<?> h, ONNXRef<?> mask3, String layer) {
        int m = spec.modalityCount();
        int d = spec.hidden();
        ONNXRef<?> rows = g.op(OnnxOp.RESHAPE, h, g.longs("shape", -1, 1, d));
        ONNXRef<?> c = g.conv1d(rows, layer + "_conv3", params.get(layer, "mixing", "conv3_weight"),
                params.get(layer, "mixing", "conv3_bias"), 1, 1, 3, 1);
        c = g.conv1d(c, layer + "_conv1", params.get(layer, "mixing", "conv1_weight"),
                params.get(layer, "mixing", "conv1_bias"), 1, 1, 1, 0);
        ONNXRef<?> mixed = g.op(OnnxOp.ADD, g.op(OnnxOp.RELU, c), rows);
        mixed = g.layerNorm(mixed, layer + "_mix_norm", params.get(layer, "mixing", "norm_gamma"),
                params.get(layer, "mixing", "norm_beta"), 1e-5f);
        ONNXRef<?> a = g.op(OnnxOp.RESHAPE, mixed, g.longs("shape", m, -1, d));
        ONNXRef<?> moe = moe(a, mask3, layer);
        ONNXRef<?> x = g.op(OnnxOp.ADD, moe, h);
        ONNXRef<?> n = g.layerNorm(x, layer + "_ff_norm", params.get(layer, "feed_forward", "norm_gamma"),
                params.get(layer, "feed_forward", "norm_beta"), 1e-5f);
        ONNXRef<?> f = g.op(OnnxOp.RELU, g.linear(n, layer + "_ff_in", params.get(layer, "feed_forward", "in_weight"),
                params.get(layer, "feed_forward", "in_bias"), spec.ffHidden(), d));
        f = g.linear(f, layer + "_ff_out", params.get(layer, "feed_forward", "out_weight"),
                params.get(layer, "feed_forward", "out_bias"), d, spec.ffHidden());
        return g.op(OnnxOp.MUL, g.op(OnnxOp.ADD, x, f), mask3);
    }

    /** The sparse MoE in evaluation: exact gate logits, top-k, log-space combine, masked sum over modalities. */
    private ONNXRef<?> moe(ONNXRef<?> a, ONNXRef<?> mask3, String layer) {
        int m = spec.modalityCount();
        int d = spec.hidden();
        int e = spec.experts();
        int k = spec.topK();
        int eh = spec.expertHidden();
        int width = d * m;
        ONNXRef<?> logits;
        if (spec.gating() == GatingKind.LAPLACE) {
            // centres [M, d, E]: column e of slice m is modality m's centre of expert e
            float[] centres = params.get(layer, "moe", "gate", "centres");
            float[] centreNorms = new float[m * e];
            for (int mi = 0; mi < m; mi++) {
                for (int j = 0; j < d; j++) {
                    for (int ei = 0; ei < e; ei++) {
                        float c = centres[(mi * d + j) * e + ei];
                        centreNorms[mi * e + ei] += c * c;
                    }
                }
            }
            ONNXRef<?> cross = g.op(OnnxOp.MAT_MUL, a, g.tensor(layer + "_centres", centres, m, d, e));
            ONNXRef<?> x2 = g.op(OnnxOp.REDUCE_SUM, List.of(g.op(OnnxOp.MUL, a, a), g.longs("axes", 2)),
                    Map.of("keepdims", 1));
            ONNXRef<?> d2 = g.op(OnnxOp.SUB, g.op(OnnxOp.ADD, x2, g.tensor(layer + "_centre_norms", centreNorms, m, 1,
                    e)), g.op(OnnxOp.MUL, cross, g.scalar("two", 2f)));
            d2 = g.op(OnnxOp.MAX, d2, g.scalar("tiny", 1e-12f));
            logits = g.op(OnnxOp.NEG, g.op(OnnxOp.SQRT, d2));
        } else {
            logits = g.op(OnnxOp.MAT_MUL, a, g.tensor(layer + "_gate_weight", params.get(layer, "moe", "gate",
                    "weight"), m, d, e));
        }
        List<org.tribuo.util.onnx.ONNXNode> top = g.context().operation(OnnxOp.TOP_K,
                List.of(logits, g.longs("k", k)), List.of(layer + "_top_values", layer + "_top_indices"),
                Map.of("axis", -1, "largest", 1, "sorted", 1));
        ONNXRef<?> logGates = g.op(OnnxOp.LOG_SOFTMAX, List.of(top.get(0)), Map.of("axis", -1));

        ONNXRef<?> tokens = g.op(OnnxOp.RESHAPE, a, g.longs("shape", -1, d));
        ONNXRef<?> chosen = g.op(OnnxOp.RESHAPE, top.get(1), g.longs("shape", -1, k));
        ONNXRef<?> routedShape = g.concat(0, List.of(g.op(OnnxOp.SHAPE, chosen), g.longs("width", width)));
        ONNXRef<?> routed = g.op(OnnxOp.EXPAND, g.tensor("zero", new float[] {0f}, 1), routedShape);
        float[] w1 = params.get(layer, "moe", "expert_w1");
        float[] b1 = params.get(layer, "moe", "expert_b1");
        float[] w2 = params.get(layer, "moe", "expert_w2");
        float[] b2 = params.get(layer, "moe", "expert_b2");
        ONNXRef<?> first = g.context().constant("zero_index", 0L);
        for (int ex = 0; ex < e; ex++) {
            // the (token, slot) pairs routed to expert ex, then the expert on exactly those tokens
            ONNXRef<?> pairs = g.op(OnnxOp.TRANSPOSE, List.of(g.op(OnnxOp.NON_ZERO, g.op(OnnxOp.EQUAL, chosen,
                    g.context().constant("expert", (long) ex)))), Map.of("perm", new int[] {1, 0}));
            ONNXRef<?> tokenIds = g.op(OnnxOp.GATHER, List.of(pairs, first), Map.of("axis", 1));
            ONNXRef<?> x = g.op(OnnxOp.GATHER, List.of(tokens, tokenIds), Map.of("axis", 0));
            String name = layer + "_expert" + ex;
            ONNXRef<?> h = g.op(OnnxOp.ADD, g.op(OnnxOp.MAT_MUL, x, g.tensor(name + "_w1",
                    java.util.Arrays.copyOfRange(w1, ex * d * eh, (ex + 1) * d * eh), d, eh)),
                    g.tensor(name + "_b1", java.util.Arrays.copyOfRange(b1, ex * eh, (ex + 1) * eh), eh));
            h = g.gelu(h);
            ONNXRef<?> y = g.op(OnnxOp.ADD, g.op(OnnxOp.MAT_MUL, h, g.tensor(name + "_w2",
                    java.util.Arrays.copyOfRange(w2, ex * eh * width, (ex + 1) * eh * width), eh, width)),
                    g.tensor(name + "_b2", java.util.Arrays.copyOfRange(b2, ex * width, (ex + 1) * width), width));
            routed = g.op(OnnxOp.SCATTER_ND, routed, pairs, y);
        }
        ONNXRef<?> z = g.op(OnnxOp.ADD, routed, g.op(OnnxOp.RESHAPE, logGates, g.longs("shape", -1, k, 1)));
        ONNXRef<?> combined = g.op(OnnxOp.REDUCE_LOG_SUM_EXP, List.of(z), Map.of("axes", new int[] {1},
                "keepdims", 0));
        ONNXRef<?> perModality = g.op(OnnxOp.MUL, g.op(OnnxOp.RESHAPE, combined, g.longs("shape", m, -1, width)),
                mask3);
        ONNXRef<?> summed = g.op(OnnxOp.REDUCE_SUM, List.of(perModality, g.longs("axes", 0)),
                Map.of("keepdims", 0));
        ONNXRef<?> split = g.op(OnnxOp.RESHAPE, summed, g.longs("shape", -1, m, d));
        return g.op(OnnxOp.TRANSPOSE, List.of(split), Map.of("perm", new int[] {1, 0, 2}));
    }

    private ONNXRef<?> head(ONNXRef<?> x) {
        int in = spec.hidden() * spec.modalityCount();
        int hh = spec.headHidden();
        ONNXRef<?> h = g.op(OnnxOp.TANH, g.linear(x, "head_in", params.get("head", "in_weight"),
                params.get("head", "in_bias"), hh, in));
        h = g.op(OnnxOp.TANH, g.linear(h, "head_mid", params.get("head", "mid_weight"), params.get("head", "mid_bias"),
                hh, hh));
        return g.linear(h, "head_out", params.get("head", "out_weight"), params.get("head", "out_bias"),
                spec.outputs(), hh);
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /** @return the block being exported */
    public MoeFusionBlock block() {
        return block;
    }
}

package dev.btw.djl.export;

import dev.btw.core.config.GatingKind;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes what one trained {@link MoeFusionBlock} computes in evaluation mode (no gating noise, no dropout) into a
 * graph: projections, the weighting of each modality, the fusion layers, the final norm and the head, up to the
 * raw head output (a standardised value for regression, logits for classification).
 *
 * <p>A pass starts from the block's inputs already standardised and free of NaN, each modality's presence as a
 * float {@code [batch, 1]}, and {@link PassWeights}. The block's parameters become initializers whose names
 * start with the writer's prefix; they are written once, and every pass of the same writer shares them (the
 * {@code instance} policy runs the fused block twice).
 *
 * <p>The sparse MoE is written as the block's dispatch is: for each expert, {@code NonZero} finds the (token,
 * slot) pairs routed to it, the expert runs on exactly those tokens, and {@code ScatterND} puts its outputs in
 * place; no expert runs on a token that did not choose it.
 */
final class FusionBodyWriter {

    private final OnnxGraph g;
    private final MoeFusionSpec spec;
    private final BlockParameters params;
    private final String prefix;
    private final Map<String, ONNXInitializer> tensors = new HashMap<>();

    /**
     * @param g the graph to write into
     * @param block a trained, initialised block
     * @param prefix the start of its initializers' names ({@code ""} for the fused model)
     */
    FusionBodyWriter(OnnxGraph g, MoeFusionBlock block, String prefix) {
        this.g = g;
        this.spec = block.spec();
        this.params = new BlockParameters(block);
        this.prefix = prefix;
    }

    /** @return the block's spec */
    MoeFusionSpec spec() {
        return spec;
    }

    /**
     * The modality weights a pass runs under: one constant per modality baked into the graph, or a float tensor
     * {@code [batch, M]} (or {@code [1, M]}) applied the way the block applies its weight input.
     */
    static final class PassWeights {
        private final Map<String, Double> constants;
        private final ONNXRef<?> tensor;

        private PassWeights(Map<String, Double> constants, ONNXRef<?> tensor) {
            this.constants = constants;
            this.tensor = tensor;
        }

        /**
         * Each projection is multiplied by its presence, then by one constant: the weight times {@code sqrt(d)}.
         *
         * @param weights the weight of each modality, by name
         * @return the pass weights
         */
        static PassWeights baked(Map<String, Double> weights) {
            return new PassWeights(Map.copyOf(weights), null);
        }

        /**
         * Each projection is multiplied by {@code (w * presence) * sqrt(d)}, as the block does with its weight
         * input.
         *
         * @param weights float {@code [batch, M]} or {@code [1, M]}, in model order
         * @return the pass weights
         */
        static PassWeights tensor(ONNXRef<?> weights) {
            return new PassWeights(null, Objects.requireNonNull(weights));
        }
    }

    /**
     * Writes one forward pass.
     *
     * @param inputs per modality in model order, standardised, NaN replaced by 0, {@code [batch, d_m]}
     * @param present per modality in model order, 1 or 0, float {@code [batch, 1]}
     * @param weights the modality weights of this pass
     * @return the head's raw output {@code [batch, outputs]}
     */
    ONNXRef<?> forward(List<? extends ONNXRef<?>> inputs, List<? extends ONNXRef<?>> present, PassWeights weights) {
        List<String> names = spec.modalityNames();
        int m = names.size();
        int d = spec.hidden();
        if (inputs.size() != m || present.size() != m) {
            throw new IllegalArgumentException("the block takes " + m + " modalities, got " + inputs.size()
                    + " inputs and " + present.size() + " presence flags");
        }
        List<ONNXRef<?>> scaled = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            String name = names.get(j);
            ONNXRef<?> h = projection(inputs.get(j), name);
            ONNXRef<?> p = present.get(j);
            if (weights.tensor == null) {
                Double w = weights.constants.get(name);
                if (w == null) {
                    throw new IllegalArgumentException("no inference weight for modality '" + name + "'");
                }
                float factor = (float) (w * Math.sqrt(d));
                h = g.op(OnnxOp.MUL, g.op(OnnxOp.MUL, h, p), g.scalar("w_" + name, factor));
            } else {
                ONNXRef<?> w = g.slice(weights.tensor, 1, j, j + 1);
                ONNXRef<?> factor = g.op(OnnxOp.MUL, g.op(OnnxOp.MUL, w, p), g.scalar("sqrt_d", (float) Math.sqrt(d)));
                h = g.op(OnnxOp.MUL, h, factor);
            }
            scaled.add(g.unsqueeze(h, 0));
        }
        ONNXRef<?> h = m == 1 ? scaled.get(0) : g.concat(0, scaled);
        ONNXRef<?> mask3 = m == 1 ? g.unsqueeze(present.get(0), 0) : g.concat(0, unsqueezeAll(present));
        for (int layer = 0; layer < spec.layers(); layer++) {
            h = fusionLayer(h, mask3, "layer" + layer);
        }
        ONNXRef<?> normed = g.layerNorm(h, param("unit", () -> ones(d), d), param("nil", () -> new float[d], d), 1e-5f);
        normed = g.op(
                OnnxOp.ADD,
                g.op(OnnxOp.MUL, normed, param("final_norm_gamma", () -> params.get("final_norm_gamma"), m, 1, d)),
                param("final_norm_beta", () -> params.get("final_norm_beta"), m, 1, d));
        normed = g.op(OnnxOp.MUL, normed, mask3);
        ONNXRef<?> concat = g.op(
                OnnxOp.RESHAPE,
                g.op(OnnxOp.TRANSPOSE, List.of(normed), Map.of("perm", new int[] {1, 0, 2})),
                g.longs("shape", -1, (long) m * d));
        return head(concat);
    }

    /** A parameter initializer, written on first use and shared by later passes. */
    private ONNXInitializer param(String name, Supplier<float[]> values, int... shape) {
        return tensors.computeIfAbsent(name, n -> g.tensor(prefix + n, values.get(), shape));
    }

    private ONNXRef<?> linear(ONNXRef<?> x, String name, String[] weight, String[] bias, int out, int in) {
        return g.linear(
                x,
                param(name + "_weight_t", () -> OnnxGraph.transpose(params.get(weight), out, in), in, out),
                param(name + "_bias", () -> params.get(bias), out));
    }

    private static String[] path(String... parts) {
        return parts;
    }

    private List<ONNXRef<?>> unsqueezeAll(List<? extends ONNXRef<?>> present) {
        List<ONNXRef<?>> out = new ArrayList<>();
        for (ONNXRef<?> p : present) {
            out.add(g.unsqueeze(p, 0));
        }
        return out;
    }

    private ONNXRef<?> projection(ONNXRef<?> x, String name) {
        String child = "projection_" + name;
        int d = spec.hidden();
        ONNXRef<?> h =
                linear(x, child + "_in", path(child, "in_weight"), path(child, "in_bias"), d, spec.inputDim(name));
        h = g.op(OnnxOp.RELU, h);
        return linear(h, child + "_out", path(child, "out_weight"), path(child, "out_bias"), d, d);
    }

    /** One {@code FusionLayerBlock}: mixing, MoE, residual, feed-forward, mask. h is {@code [M, B, d]}. */
    private ONNXRef<?> fusionLayer(ONNXRef<?> h, ONNXRef<?> mask3, String layer) {
        int m = spec.modalityCount();
        int d = spec.hidden();
        ONNXRef<?> rows = g.op(OnnxOp.RESHAPE, h, g.longs("shape", -1, 1, d));
        ONNXRef<?> c = g.conv1d(
                rows,
                param(layer + "_conv3_weight", () -> params.get(layer, "mixing", "conv3_weight"), 1, 1, 3),
                param(layer + "_conv3_bias", () -> params.get(layer, "mixing", "conv3_bias"), 1),
                3,
                1);
        c = g.conv1d(
                c,
                param(layer + "_conv1_weight", () -> params.get(layer, "mixing", "conv1_weight"), 1, 1, 1),
                param(layer + "_conv1_bias", () -> params.get(layer, "mixing", "conv1_bias"), 1),
                1,
                0);
        ONNXRef<?> mixed = g.op(OnnxOp.ADD, g.op(OnnxOp.RELU, c), rows);
        mixed = g.layerNorm(
                mixed,
                param(layer + "_mix_norm_gamma", () -> params.get(layer, "mixing", "norm_gamma"), d),
                param(layer + "_mix_norm_beta", () -> params.get(layer, "mixing", "norm_beta"), d),
                1e-5f);
        ONNXRef<?> a = g.op(OnnxOp.RESHAPE, mixed, g.longs("shape", m, -1, d));
        ONNXRef<?> moe = moe(a, mask3, layer);
        ONNXRef<?> x = g.op(OnnxOp.ADD, moe, h);
        ONNXRef<?> n = g.layerNorm(
                x,
                param(layer + "_ff_norm_gamma", () -> params.get(layer, "feed_forward", "norm_gamma"), d),
                param(layer + "_ff_norm_beta", () -> params.get(layer, "feed_forward", "norm_beta"), d),
                1e-5f);
        ONNXRef<?> f = g.op(
                OnnxOp.RELU,
                linear(
                        n,
                        layer + "_ff_in",
                        path(layer, "feed_forward", "in_weight"),
                        path(layer, "feed_forward", "in_bias"),
                        spec.ffHidden(),
                        d));
        f = linear(
                f,
                layer + "_ff_out",
                path(layer, "feed_forward", "out_weight"),
                path(layer, "feed_forward", "out_bias"),
                d,
                spec.ffHidden());
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
            ONNXRef<?> cross = g.op(
                    OnnxOp.MAT_MUL,
                    a,
                    param(layer + "_centres", () -> params.get(layer, "moe", "gate", "centres"), m, d, e));
            ONNXRef<?> x2 =
                    g.op(OnnxOp.REDUCE_SUM, List.of(g.op(OnnxOp.MUL, a, a), g.longs("axes", 2)), Map.of("keepdims", 1));
            ONNXRef<?> d2 = g.op(
                    OnnxOp.SUB,
                    g.op(
                            OnnxOp.ADD,
                            x2,
                            param(
                                    layer + "_centre_norms",
                                    () -> centreNorms(params.get(layer, "moe", "gate", "centres")),
                                    m,
                                    1,
                                    e)),
                    g.op(OnnxOp.MUL, cross, g.scalar("two", 2f)));
            d2 = g.op(OnnxOp.MAX, d2, g.scalar("tiny", 1e-12f));
            logits = g.op(OnnxOp.NEG, g.op(OnnxOp.SQRT, d2));
        } else {
            logits = g.op(
                    OnnxOp.MAT_MUL,
                    a,
                    param(layer + "_gate_weight", () -> params.get(layer, "moe", "gate", "weight"), m, d, e));
        }
        List<ONNXNode> top = g.context()
                .operation(
                        OnnxOp.TOP_K,
                        List.of(logits, g.longs("k", k)),
                        List.of(layer + "_top_values", layer + "_top_indices"),
                        Map.of("axis", -1, "largest", 1, "sorted", 1));
        ONNXRef<?> logGates = g.op(OnnxOp.LOG_SOFTMAX, List.of(top.get(0)), Map.of("axis", -1));

        ONNXRef<?> tokens = g.op(OnnxOp.RESHAPE, a, g.longs("shape", -1, d));
        ONNXRef<?> chosen = g.op(OnnxOp.RESHAPE, top.get(1), g.longs("shape", -1, k));
        ONNXRef<?> routedShape = g.concat(0, List.of(g.op(OnnxOp.SHAPE, chosen), g.longs("width", width)));
        ONNXRef<?> routed = g.op(OnnxOp.EXPAND, g.tensor("zero", new float[] {0f}, 1), routedShape);
        ONNXRef<?> first = g.context().constant("zero_index", 0L);
        // the experts' stacked parameters, read once for the first pass (later passes reuse the initializers)
        boolean written = tensors.containsKey(layer + "_expert0_w1");
        float[] w1 = written ? null : params.get(layer, "moe", "expert_w1");
        float[] b1 = written ? null : params.get(layer, "moe", "expert_b1");
        float[] w2 = written ? null : params.get(layer, "moe", "expert_w2");
        float[] b2 = written ? null : params.get(layer, "moe", "expert_b2");
        for (int ex = 0; ex < e; ex++) {
            // the (token, slot) pairs routed to expert ex, then the expert on exactly those tokens
            ONNXRef<?> pairs = g.op(
                    OnnxOp.TRANSPOSE,
                    List.of(g.op(
                            OnnxOp.NON_ZERO,
                            g.op(OnnxOp.EQUAL, chosen, g.context().constant("expert", (long) ex)))),
                    Map.of("perm", new int[] {1, 0}));
            ONNXRef<?> tokenIds = g.op(OnnxOp.GATHER, List.of(pairs, first), Map.of("axis", 1));
            ONNXRef<?> x = g.op(OnnxOp.GATHER, List.of(tokens, tokenIds), Map.of("axis", 0));
            String name = layer + "_expert" + ex;
            int i = ex;
            ONNXRef<?> h = g.op(
                    OnnxOp.ADD,
                    g.op(OnnxOp.MAT_MUL, x, param(name + "_w1", () -> slice(w1, i, d * eh), d, eh)),
                    param(name + "_b1", () -> slice(b1, i, eh), eh));
            h = g.gelu(h);
            ONNXRef<?> y = g.op(
                    OnnxOp.ADD,
                    g.op(OnnxOp.MAT_MUL, h, param(name + "_w2", () -> slice(w2, i, eh * width), eh, width)),
                    param(name + "_b2", () -> slice(b2, i, width), width));
            routed = g.op(OnnxOp.SCATTER_ND, routed, pairs, y);
        }
        ONNXRef<?> z = g.op(OnnxOp.ADD, routed, g.op(OnnxOp.RESHAPE, logGates, g.longs("shape", -1, k, 1)));
        ONNXRef<?> combined = g.op(OnnxOp.REDUCE_LOG_SUM_EXP, List.of(z), Map.of("axes", new int[] {1}, "keepdims", 0));
        ONNXRef<?> perModality =
                g.op(OnnxOp.MUL, g.op(OnnxOp.RESHAPE, combined, g.longs("shape", m, -1, width)), mask3);
        ONNXRef<?> summed = g.op(OnnxOp.REDUCE_SUM, List.of(perModality, g.longs("axes", 0)), Map.of("keepdims", 0));
        ONNXRef<?> split = g.op(OnnxOp.RESHAPE, summed, g.longs("shape", -1, m, d));
        return g.op(OnnxOp.TRANSPOSE, List.of(split), Map.of("perm", new int[] {1, 0, 2}));
    }

    /** The squared norm of every gate centre, {@code [M, 1, E]}, from the centres {@code [M, d, E]}. */
    private float[] centreNorms(float[] centres) {
        int m = spec.modalityCount();
        int d = spec.hidden();
        int e = spec.experts();
        float[] norms = new float[m * e];
        for (int mi = 0; mi < m; mi++) {
            for (int j = 0; j < d; j++) {
                for (int ei = 0; ei < e; ei++) {
                    float c = centres[(mi * d + j) * e + ei];
                    norms[mi * e + ei] += c * c;
                }
            }
        }
        return norms;
    }

    private ONNXRef<?> head(ONNXRef<?> x) {
        int in = spec.hidden() * spec.modalityCount();
        int hh = spec.headHidden();
        ONNXRef<?> h =
                g.op(OnnxOp.TANH, linear(x, "head_in", path("head", "in_weight"), path("head", "in_bias"), hh, in));
        h = g.op(OnnxOp.TANH, linear(h, "head_mid", path("head", "mid_weight"), path("head", "mid_bias"), hh, hh));
        return linear(h, "head_out", path("head", "out_weight"), path("head", "out_bias"), spec.outputs(), hh);
    }

    private static float[] slice(float[] all, int index, int size) {
        return Arrays.copyOfRange(all, index * size, (index + 1) * size);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}

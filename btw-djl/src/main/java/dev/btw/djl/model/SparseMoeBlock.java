package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * The sparse mixture of experts (b) of a fusion layer. E experts, shared by all modalities, each
 * {@code Linear(d -> h_e), GELU, Linear(h_e -> d*M)}; a gate per modality ({@link ModalityGate}) keeps the top k
 * logits of each token, softmax over them, the other gates 0; outputs combine in log space,
 * {@code log(sum_e gate_e * exp(expert_e(x)))}, computed as a log-sum-exp over the k kept experts with the
 * log-softmax of their logits (the same value, without underflow to log 0). Combined outputs are summed over the
 * present modalities and modality m takes the slice {@code [d*m, d*(m+1))}.
 *
 * <p>In training, experts run as two batched matrix products over a {@code [E, C, d]} dispatch of the routed
 * tokens (C the largest expert load in the batch), so the cost is a few engine calls whatever E is; in
 * evaluation each expert with tokens runs on exactly its tokens. Parameters:
 * {@code expert_w1 [E, d, h_e]}, {@code expert_b1 [E, 1, h_e]}, {@code expert_w2 [E, h_e, d*M]},
 * {@code expert_b2 [E, 1, d*M]} (note: {@code y = x W + b}, input-major, unlike DJL's Linear), and the gate child.
 */
public final class SparseMoeBlock extends FusionBlockBase {

    private final int modalities;
    private final int hidden;
    private final int experts;
    private final int topK;
    private final int outWidth;
    private final float loadBalance;
    private final ModalityGate gate;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    /** The combined output and the auxiliary load-balancing loss of one application. */
    public static final class Output {
        private final NDArray value;
        private final NDArray auxLoss;

        Output(NDArray value, NDArray auxLoss) {
            this.value = value;
            this.auxLoss = auxLoss;
        }

        /** @return the fused vectors per modality, {@code [M, B, d]} */
        public NDArray value() {
            return value;
        }

        /** @return the load-balancing loss (coefficient applied), or null when off or not training */
        public NDArray auxLoss() {
            return auxLoss;
        }
    }

    /** @param spec the model spec */
    public SparseMoeBlock(MoeFusionSpec spec) {
        modalities = spec.modalityCount();
        hidden = spec.hidden();
        experts = spec.experts();
        topK = spec.topK();
        outWidth = hidden * modalities;
        loadBalance = spec.loadBalance();
        int eh = spec.expertHidden();
        gate = addChildBlock("gate", ModalityGate.of(spec));
        w1 = addParameter(Params.xavier("expert_w1", new Shape(experts, hidden, eh), hidden, eh));
        b1 = addParameter(Params.zeros("expert_b1", new Shape(experts, 1, eh)));
        w2 = addParameter(Params.xavier("expert_w2", new Shape(experts, eh, outWidth), eh, outWidth));
        b2 = addParameter(Params.zeros("expert_b2", new Shape(experts, 1, outWidth)));
    }

    /**
     * Applies the mixture.
     *
     * @param ps the parameter store
     * @param x tokens per modality, {@code [M, B, d]}
     * @param present 1 where modality m of instance b is present, 0 where missing, laid out {@code m * B + b}
     * @param mask3 the same as an array {@code [M, B, 1]}
     * @param training whether training (adds gating noise when configured)
     * @param noise the Java noise source, or null for the engine's
     * @return the output {@code [M, B, d]} and the auxiliary loss
     */
    public Output apply(
            ParameterStore ps, NDArray x, float[] present, NDArray mask3, boolean training, TrainingNoise noise) {
        NDManager manager = x.getManager();
        int batch = (int) x.getShape().get(1);
        int n = modalities * batch;
        NDArray logits = gate.logits(ps, x, training, noise).reshape(n, experts);
        NDList top = logits.topK(topK, 1, true, true);
        NDArray topLogits = top.get(0);
        long[] chosen = top.get(1).toLongArray();
        NDArray logGates = topLogits.logSoftmax(1);

        int[] load = new int[experts];
        for (int t = 0; t < n; t++) {
            if (present[t] > 0f) {
                for (int j = 0; j < topK; j++) {
                    load[(int) chosen[t * topK + j]]++;
                }
            }
        }
        NDArray tokens = x.reshape(n, hidden);
        NDArray routed = training
                ? paddedExperts(ps, tokens, chosen, present, load, n, training)
                : expertLoop(ps, tokens, chosen, present, load, n);
        NDArray z = routed.add(logGates.expandDims(2));
        NDArray combined;
        if (topK == 1) {
            combined = z.squeeze(1);
        } else {
            NDArray max = z.max(new int[] {1}, true).stopGradient();
            combined = max.squeeze(1).add(z.sub(max).exp().sum(new int[] {1}).log());
        }
        NDArray summed =
                combined.reshape(modalities, batch, outWidth).mul(mask3).sum(new int[] {0});
        NDArray out = summed.reshape(batch, modalities, hidden).transpose(1, 0, 2);

        NDArray aux = null;
        if (training && loadBalance > 0f) {
            aux = loadBalancingLoss(topLogits, chosen, present, load, n)
                    .mul(OwnedArrays.scalar(topLogits, loadBalance));
        }
        return new Output(out, aux);
    }

    /**
     * Training: all experts at once, two batched products over a {@code [E, C, d]} dispatch padded to the largest
     * load C (the gating noise keeps loads even); gradients land in the stacked weights directly.
     */
    private NDArray paddedExperts(
            ParameterStore ps, NDArray tokens, long[] chosen, float[] present, int[] load, int n, boolean training) {
        NDManager manager = tokens.getManager();
        int capacity = 1;
        for (int c : load) {
            capacity = Math.max(capacity, c);
        }
        long[] gather = new long[experts * capacity];
        long[] position = new long[n * topK];
        int[] fill = new int[experts];
        for (int t = 0; t < n; t++) {
            if (present[t] > 0f) {
                for (int j = 0; j < topK; j++) {
                    int e = (int) chosen[t * topK + j];
                    int p = e * capacity + fill[e]++;
                    gather[p] = t;
                    position[t * topK + j] = p;
                }
            }
        }
        NDArray dispatched =
                tokens.get(OwnedArrays.of(manager, gather, tokens.getDevice())).reshape(experts, capacity, hidden);
        NDArray h = Activation.gelu(
                dispatched.matMul(value(ps, w1, tokens, training)).add(value(ps, b1, tokens, training)));
        NDArray y = h.matMul(value(ps, w2, tokens, training))
                .add(value(ps, b2, tokens, training))
                .reshape((long) experts * capacity, outWidth);
        return y.get(OwnedArrays.of(manager, position, tokens.getDevice())).reshape(n, topK, outWidth);
    }

    /**
     * Evaluation: each expert that received tokens runs on exactly those (no padding: without gating noise the
     * loads can be very uneven); nothing is differentiated, so slicing the stacked weights costs nothing.
     */
    private NDArray expertLoop(ParameterStore ps, NDArray tokens, long[] chosen, float[] present, int[] load, int n) {
        NDManager manager = tokens.getManager();
        int[] start = new int[experts + 1];
        for (int e = 0; e < experts; e++) {
            start[e + 1] = start[e] + load[e];
        }
        long[] sorted = new long[Math.max(1, start[experts])];
        long[] position = new long[n * topK];
        int[] fill = start.clone();
        for (int t = 0; t < n; t++) {
            if (present[t] > 0f) {
                for (int j = 0; j < topK; j++) {
                    int e = (int) chosen[t * topK + j];
                    int p = fill[e]++;
                    sorted[p] = t;
                    position[t * topK + j] = p;
                }
            }
        }
        NDArray w1a = value(ps, w1, tokens, false);
        NDArray b1a = value(ps, b1, tokens, false);
        NDArray w2a = value(ps, w2, tokens, false);
        NDArray b2a = value(ps, b2, tokens, false);
        NDArray gathered = tokens.get(OwnedArrays.of(manager, sorted, tokens.getDevice()));
        NDList outs = new NDList();
        for (int e = 0; e < experts; e++) {
            if (load[e] == 0) {
                continue;
            }
            NDArray xe = gathered.get(manager, new NDIndex("{}:{}", start[e], start[e + 1]));
            NDArray h =
                    Activation.gelu(xe.matMul(w1a.get(manager, new NDIndex(e))).add(b1a.get(manager, new NDIndex(e))));
            outs.add(h.matMul(w2a.get(manager, new NDIndex(e))).add(b2a.get(manager, new NDIndex(e))));
        }
        if (outs.isEmpty()) {
            return manager.zeros(new Shape(n, topK, outWidth), tokens.getDataType(), tokens.getDevice());
        }
        NDArray y = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
        return y.get(OwnedArrays.of(manager, position, tokens.getDevice())).reshape(n, topK, outWidth);
    }

    /** cv^2(importance) + cv^2(load): importance is differentiable, load (token counts) is not. */
    private NDArray loadBalancingLoss(NDArray topLogits, long[] chosen, float[] present, int[] load, int n) {
        NDManager manager = topLogits.getManager();
        float[] onehot = new float[n * topK * experts];
        for (int t = 0; t < n; t++) {
            if (present[t] > 0f) {
                for (int j = 0; j < topK; j++) {
                    onehot[(t * topK + j) * experts + (int) chosen[t * topK + j]] = 1f;
                }
            }
        }
        NDArray oh = OwnedArrays.of(manager, onehot, new Shape(n, topK, experts), topLogits.getDevice());
        NDArray importance = topLogits.softmax(1).expandDims(2).mul(oh).sum(new int[] {0, 1});
        float[] loadF = new float[experts];
        for (int e = 0; e < experts; e++) {
            loadF[e] = load[e];
        }
        NDArray loadArr = OwnedArrays.of(manager, loadF, new Shape(experts), topLogits.getDevice());
        return cvSquared(importance).add(cvSquared(loadArr));
    }

    private NDArray cvSquared(NDArray v) {
        if (experts < 2) {
            return v.sum().mul(OwnedArrays.scalar(v, 0f));
        }
        NDArray mean = v.mean();
        NDArray var = v.sub(mean).square().sum().div(OwnedArrays.scalar(v, experts - 1f));
        return var.div(mean.square().add(OwnedArrays.scalar(v, 1e-10f)));
    }
}

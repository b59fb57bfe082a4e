package dev.btw.app.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with L2 weight decay ({@code torch.optim.Adam(weight_decay=...)}) and global gradient-norm clipping
 * ({@code clip_grad_norm_}), with its state (moments and step count) saved in checkpoints so that a resumed run
 * continues exactly.
 *
 * <p>The step runs as one call of a small TorchScript function ({@code fused_adam.pt}, written by
 * {@code scripts/torchscript/fused_adam.py}) over all parameters at once: multi-tensor norm, clipping, libtorch's
 * fused Adam kernel and gradient zeroing, one pass over each parameter and no temporaries. For this model, whose
 * experts hold most of the parameters, the optimiser otherwise dominates a step: DJL's per-parameter Adam kernel
 * allocates five parameter-sized temporaries per parameter, and DJL's {@code Trainer} copies every gradient
 * first. With {@code -Dbtw.adam.fused=false}, or when the engine cannot load the script, each parameter is
 * updated by DJL's Adam kernel instead (the same update up to where epsilon enters; a different last digit).
 */
public final class FusionAdam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    /** System property that turns the fused multi-tensor step off ({@code -Dbtw.adam.fused=false}). */
    public static final String FUSED_PROPERTY = "btw.adam.fused";

    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final NDArray[] means;
    private final NDArray[] variances;
    private final float weightDecay;
    private final float clip;
    private float learningRate;
    private long steps;
    private final PtSymbolBlock fused;
    private final NDArray[] stepCounts;

    /**
     * @param parameters the block's parameters ({@code block.getParameters()}), all initialised
     * @param learningRate the learning rate
     * @param weightDecay the L2 coefficient
     * @param clip the gradient-norm bound (0 or less: no clipping)
     */
    public FusionAdam(PairList<String, Parameter> parameters, float learningRate, float weightDecay, float clip) {
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient()) {
                names.add(p.getKey());
                params.add(p.getValue());
                weights.add(p.getValue().getArray());
            }
        }
        means = new NDArray[weights.size()];
        variances = new NDArray[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            means[i] = weights.get(i).zerosLike();
            variances[i] = weights.get(i).zerosLike();
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.clip = clip;
        this.fused = loadFused(weights.isEmpty() ? null : weights.get(0).getManager());
        stepCounts = new NDArray[weights.size()];
        if (fused != null) {
            for (int i = 0; i < stepCounts.length; i++) {
                stepCounts[i] = weights.get(i)
                        .getManager()
                        .zeros(new Shape(), DataType.FLOAT32, weights.get(i).getDevice());
            }
        }
    }

    private static PtSymbolBlock loadFused(NDManager manager) {
        if (!(manager instanceof PtNDManager) || "false".equals(System.getProperty(FUSED_PROPERTY))) {
            return null;
        }
        try (InputStream in = FusionAdam.class.getResourceAsStream("fused_adam.pt")) {
            if (in == null) {
                return null;
            }
            return JniUtils.loadModule((PtNDManager) manager, in, true, false);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return whether the fused multi-tensor step is in use */
    public boolean isFused() {
        return fused != null;
    }

    /** @return the current learning rate */
    public float learningRate() {
        return learningRate;
    }

    /** @param learningRate the new learning rate (ReduceLROnPlateau changes it) */
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    /** @return every state array (first moments, second moments, then step counts when fused), for checks */
    List<NDArray> stateArrays() {
        List<NDArray> all = new ArrayList<>(List.of(means));
        all.addAll(List.of(variances));
        for (NDArray s : stepCounts) {
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }

    /** @return the number of updates made */
    public long steps() {
        return steps;
    }

    /**
     * One update from the gradients the last backward pass left on the parameters; the gradients are zeroed.
     *
     * @return the global gradient norm before clipping
     */
    public float step() {
        if (fused != null) {
            return fusedStep();
        }
        NDArray[] grads = new NDArray[weights.size()];
        double sumSquares = 0;
        for (int i = 0; i < grads.length; i++) {
            NDArray w = weights.get(i);
            grads[i] = w.hasGradient() ? w.getGradient() : null;
            if (grads[i] != null) {
                try (NDArray n = grads[i].norm()) {
                    float v = n.getFloat();
                    sumSquares += (double) v * v;
                }
            }
        }
        float norm = (float) Math.sqrt(sumSquares);
        float rescale = 1f;
        if (clip > 0f && Float.isFinite(norm)) {
            float coef = clip / (norm + 1e-6f);
            rescale = Math.min(1f, coef);
        }
        steps++;
        double coef1 = 1.0 - Math.pow(BETA1, steps);
        double coef2 = 1.0 - Math.pow(BETA2, steps);
        float biasCorrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null) {
                continue;
            }
            NDArray w = weights.get(i);
            w.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(w, grads[i], means[i], variances[i]),
                            new NDList(w),
                            learningRate,
                            biasCorrected,
                            weightDecay,
                            rescale,
                            -1f,
                            BETA1,
                            BETA2,
                            EPSILON,
                            true,
                            false);
            grads[i].close();
        }
        return norm;
    }

    /**
     * One update from the gradients that the step's leaves received ({@link StepParameterStore}); the
     * parameters' own gradients are not used and nothing needs zeroing. Needs the fused step.
     *
     * The gradient norm is not read back: on a GPU that would be one more device-to-host wait per step.
     *
     * @param store the store that served the step's forward pass
     */
    void stepWithLeafGradients(StepParameterStore store) {
        NDArray[] grads = new NDArray[weights.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = store.gradient(params.get(i));
        }
        steps++;
        fusedUpdate(grads, false, false);
    }

    private float fusedStep() {
        NDArray[] grads = new NDArray[weights.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = weights.get(i).getGradient();
        }
        steps++;
        try {
            return fusedUpdate(grads, true, true);
        } finally {
            for (NDArray g : grads) {
                g.close();
            }
        }
    }

    /**
     * Runs the script over the parameters that have a gradient (as torch.optim skips those with none).
     *
     * @return the gradient norm when {@code readNorm}, else NaN
     */
    private float fusedUpdate(NDArray[] grads, boolean zeroGrads, boolean readNorm) {
        List<PtNDArray> w = new ArrayList<>();
        List<PtNDArray> g = new ArrayList<>();
        List<PtNDArray> m = new ArrayList<>();
        List<PtNDArray> v = new ArrayList<>();
        List<PtNDArray> s = new ArrayList<>();
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null) {
                w.add((PtNDArray) weights.get(i));
                g.add((PtNDArray) grads[i]);
                m.add((PtNDArray) means[i]);
                v.add((PtNDArray) variances[i]);
                s.add((PtNDArray) stepCounts[i]);
            }
        }
        if (w.isEmpty()) {
            return readNorm ? 0f : Float.NaN;
        }
        PtNDArray[] none = new PtNDArray[0];
        IValue[] args = {
            IValue.listFrom(w.toArray(none)),
            IValue.listFrom(g.toArray(none)),
            IValue.listFrom(m.toArray(none)),
            IValue.listFrom(v.toArray(none)),
            IValue.listFrom(s.toArray(none)),
            IValue.from((double) learningRate),
            IValue.from((double) weightDecay),
            IValue.from((double) clip),
            IValue.from(zeroGrads)
        };
        // the profiling graph executor would re-optimise the script after its first runs; the plain interpreter
        // runs it as written (one kernel call per line)
        JniUtils.setGraphExecutorOptimize(false);
        try (IValue out = fused.forward(args)) {
            PtNDArray total = out.toTensor((PtNDManager) weights.get(0).getManager());
            float norm = readNorm ? total.getFloat() : Float.NaN;
            total.close();
            return norm;
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
            for (IValue a : args) {
                a.close();
            }
        }
    }

    private static PtNDArray[] pt(NDArray[] arrays) {
        PtNDArray[] out = new PtNDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = (PtNDArray) arrays[i];
        }
        return out;
    }

    /**
     * Writes the optimiser state.
     *
     * @param out where to
     * @throws IOException on failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeFloat(learningRate);
        out.writeInt(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            out.writeUTF(names.get(i));
            writeFloats(out, means[i].toFloatArray());
            writeFloats(out, variances[i].toFloatArray());
            out.writeFloat(stepCounts[i] == null ? steps : stepCounts[i].getFloat());
        }
    }

    /**
     * Restores a state written by {@link #save} for the same model.
     *
     * @param in where from
     * @throws IOException on failure or a state of another model
     */
    public void load(DataInputStream in) throws IOException {
        steps = in.readLong();
        learningRate = in.readFloat();
        int n = in.readInt();
        if (n != weights.size()) {
            throw new IOException("optimiser state holds " + n + " parameters, the model has " + weights.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(names.get(i))) {
                throw new IOException("optimiser state for " + name + " where " + names.get(i) + " was expected");
            }
            means[i].set(readFloats(in, means[i].getShape()));
            variances[i].set(readFloats(in, variances[i].getShape()));
            float count = in.readFloat();
            if (stepCounts[i] != null) {
                stepCounts[i].set(new float[] {count});
            }
        }
    }

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    static float[] readFloats(DataInputStream in, Shape expected) throws IOException {
        int n = in.readInt();
        if (expected != null && n != expected.size()) {
            throw new IOException("state of " + n + " values where " + expected.size() + " were expected");
        }
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        return v;
    }
}

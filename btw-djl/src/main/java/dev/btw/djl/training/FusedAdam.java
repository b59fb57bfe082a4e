package dev.btw.djl.training;

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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam with L2 weight decay, as {@code torch.optim.Adam(weight_decay=...)}, as a DJL {@link Optimizer} whose state
 * (moments and step counts, by parameter name) can be saved and restored, so that training resumed from a checkpoint
 * continues exactly, and with the global-norm gradient clip built in ({@link Builder#optClipGradNorm}). {@code btw
 * train} trains with it, under a {@link PlateauLearningRate}.
 *
 * <pre>{@code
 * FusedAdam adam = FusedAdam.builder()
 *         .setParameters(block.getParameters())
 *         .optLearningRateTracker(lr)
 *         .optWeightDecays(1e-4f)
 *         .optClipGradNorm(0.8f)
 *         .build();
 * config.optOptimizer(adam);
 * }</pre>
 *
 * <p>DJL's {@code Trainer.step()} hands the optimiser one parameter at a time; this one holds them until every
 * parameter of {@link Builder#setParameters} has arrived (so that list must be the trained block's
 * {@code getParameters()}), then runs one step over all of them. On the PyTorch engine that step is one call of a
 * small TorchScript function ({@code fused_adam.pt}, written by {@code scripts/torchscript/fused_adam.py}): the
 * multi-tensor norm, the clip, libtorch's fused Adam kernel and the zeroing of the gradients, one pass over each
 * parameter and no temporaries. Written by hand because DJL's Adam kernel allocates about five
 * parameter-sized temporaries per parameter, which made the optimiser the largest part of a training step for the
 * stacked expert weights of this model (docs/PERFORMANCE.md, "Training throughput"). With
 * {@code -Dbtw.adam.fused=false}, or on another engine, DJL's Adam kernel runs instead (the same update up to where
 * epsilon enters). This class needs the PyTorch engine's classes on the class path ({@code ai.djl.pytorch:
 * pytorch-engine}), which training with DJL's PyTorch engine brings.
 */
public final class FusedAdam extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    /** System property that turns the fused kernel off ({@code -Dbtw.adam.fused=false}). */
    public static final String FUSED_PROPERTY = "btw.adam.fused";

    private final Map<String, String> nameOf = new HashMap<>();
    private final Map<String, Float> scaleOf = new HashMap<>();
    private final Map<String, Integer> orderOf = new HashMap<>();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Tracker learningRate;
    private final float clipNorm;
    private final int expected;
    private final Set<String> arrived = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private PtSymbolBlock fused;
    private boolean fusedTried;

    /** The state of one parameter: first and second moments and the step count. */
    private static final class Slot {
        NDArray mean;
        NDArray variance;
        NDArray stepTensor;
        long steps;
    }

    /**
     * A parameter's update, held until every parameter of the step has arrived.
     *
     * @param id the parameter's id
     * @param weight its array
     * @param grad its gradient of this step
     * @param zero whether the step zeroes the gradient (it is the parameter's own, which backward adds into)
     */
    record Pending(String id, NDArray weight, NDArray grad, boolean zero) {}

    private FusedAdam(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.clipNorm = b.clipNorm;
        int trainable = 0;
        for (Pair<String, Parameter> p : b.parameters) {
            trainable += p.getValue().requiresGradient() ? 1 : 0;
            nameOf.put(p.getValue().getId(), p.getKey());
            orderOf.put(p.getValue().getId(), orderOf.size());
            float scale = 1f;
            for (Map.Entry<String, Float> s : b.scales.entrySet()) {
                if (p.getKey().startsWith(s.getKey())) {
                    scale = s.getValue();
                }
            }
            scaleOf.put(p.getKey(), scale);
        }
        this.expected = trainable;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = nameOf.get(parameterId);
        if (name == null) {
            throw new IllegalStateException("FusedAdam: parameter " + parameterId
                    + " was not among setParameters (pass the trained block's getParameters())");
        }
        if (!arrived.add(name)) {
            throw new IllegalStateException("FusedAdam: parameter " + name + " came twice before the step ended: "
                    + "setParameters must list exactly the parameters the trainer updates (the trained block's "
                    + "getParameters()); " + expected + " were listed, " + arrived.size() + " arrived");
        }
        PtNDArray own = weight instanceof PtNDArray ? JniUtils.getGradient((PtNDArray) weight) : null;
        if (own != null) {
            // the weight's own gradient (the trainer passes a copy, closed when this returns)
            pending.add(new Pending(parameterId, weight, own, true));
        } else if (!(weight instanceof PtNDArray)) {
            pending.add(new Pending(parameterId, weight, grad.duplicate(), true));
        }
        // no gradient at all: the parameter took no part in this step's backward pass (a frozen encoder's, which
        // DJL's Trainer registers all the same); torch's Adam skips such a parameter too
        if (arrived.size() == expected) {
            try {
                applyStep(pending);
            } finally {
                for (Pending p : pending) {
                    p.grad().close();
                }
                pending.clear();
                arrived.clear();
            }
        }
    }

    /**
     * One step over the given parameters' gradients: clip by the global norm, then Adam per learning rate (and per
     * zeroing). {@link FusionTrainer} calls it with the gradients of its per-step leaves.
     *
     * @param step every parameter that has a gradient in this step
     */
    void applyStep(List<Pending> arrivals) {
        if (arrivals.isEmpty()) {
            return;
        }
        // in setParameters' order, whatever order the trainer handed them in: the global norm sums the same way
        List<Pending> step = new ArrayList<>(arrivals);
        step.sort(Comparator.comparingInt(p -> orderOf.get(p.id())));
        for (Pending p : step) {
            slots.computeIfAbsent(name(p), k -> newSlot(p.weight()));
        }
        float lr = learningRate.getNewValue(updateCount(step.get(0).id()));
        for (int i = 1; i < step.size(); i++) {
            updateCount(step.get(i).id());
        }
        Map<String, List<Pending>> groups = new LinkedHashMap<>();
        for (Pending p : step) {
            groups.computeIfAbsent(scaleOf.get(name(p)) + "/" + p.zero(), k -> new ArrayList<>())
                    .add(p);
        }
        PtSymbolBlock kernel = kernel(step.get(0).weight());
        if (kernel != null) {
            if (groups.size() == 1) {
                List<Pending> only = groups.values().iterator().next();
                fusedStep(kernel, only, lr * scaleOf.get(name(only.get(0))), clipNorm, true);
            } else {
                // clipped together first, then each group at its own learning rate
                fusedStep(kernel, step, 0f, clipNorm, false);
                for (List<Pending> g : groups.values()) {
                    fusedStep(kernel, g, lr * scaleOf.get(name(g.get(0))), 0f, true);
                }
            }
            return;
        }
        float rescale = 1f;
        if (clipNorm > 0) {
            double sumSquares = 0;
            for (Pending p : step) {
                try (NDArray n = p.grad().norm()) {
                    double v = n.getFloat();
                    sumSquares += v * v;
                }
            }
            rescale = (float) Math.min(1.0, clipNorm / (Math.sqrt(sumSquares) + 1e-6));
        }
        for (Pending p : step) {
            Slot s = slots.get(name(p));
            float plr = lr * scaleOf.get(name(p));
            s.steps++;
            double coef1 = 1.0 - Math.pow(BETA1, s.steps);
            double coef2 = 1.0 - Math.pow(BETA2, s.steps);
            float biasCorrected = (float) (plr * Math.sqrt(coef2) / coef1);
            // DJL's kernel zeroes the weight's own gradient after the update
            p.weight()
                    .getNDArrayInternal()
                    .adamUpdate(
                            new NDList(p.weight(), p.grad(), s.mean, s.variance),
                            new NDList(p.weight()),
                            plr,
                            biasCorrected,
                            getWeightDecay(),
                            rescale,
                            -1f,
                            BETA1,
                            BETA2,
                            EPSILON,
                            true,
                            false);
        }
    }

    private String name(Pending p) {
        return nameOf.get(p.id());
    }

    /**
     * @param parameterId a parameter's id
     * @return whether {@link Builder#setParameters} listed it
     */
    boolean knows(String parameterId) {
        return nameOf.containsKey(parameterId);
    }

    private Slot newSlot(NDArray weight) {
        Slot s = new Slot();
        NDManager manager = weight.getManager();
        s.mean = weight.zerosLike();
        s.variance = weight.zerosLike();
        s.stepTensor = manager.zeros(new Shape(), DataType.FLOAT32, weight.getDevice());
        return s;
    }

    private PtSymbolBlock kernel(NDArray weight) {
        if (!fusedTried) {
            fusedTried = true;
            fused = loadFused(weight.getManager());
        }
        return fused;
    }

    private static PtSymbolBlock loadFused(NDManager manager) {
        if (!(manager instanceof PtNDManager) || "false".equals(System.getProperty(FUSED_PROPERTY))) {
            return null;
        }
        try (InputStream in = FusedAdam.class.getResourceAsStream("fused_adam.pt")) {
            if (in == null) {
                return null;
            }
            return JniUtils.loadModule((PtNDManager) manager, in, true, false);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void fusedStep(PtSymbolBlock kernel, List<Pending> group, float lr, float maxNorm, boolean adam) {
        int n = group.size();
        PtNDArray[] w = new PtNDArray[n];
        PtNDArray[] g = new PtNDArray[n];
        PtNDArray[] m = new PtNDArray[n];
        PtNDArray[] v = new PtNDArray[n];
        PtNDArray[] t = new PtNDArray[n];
        for (int i = 0; i < n; i++) {
            Pending p = group.get(i);
            Slot s = slots.get(name(p));
            w[i] = (PtNDArray) p.weight();
            g[i] = (PtNDArray) p.grad();
            m[i] = (PtNDArray) s.mean;
            v[i] = (PtNDArray) s.variance;
            t[i] = (PtNDArray) s.stepTensor;
            if (adam) {
                s.steps++;
            }
        }
        IValue[] args = {
            IValue.listFrom(w),
            IValue.listFrom(g),
            IValue.listFrom(m),
            IValue.listFrom(v),
            IValue.listFrom(t),
            IValue.from((double) lr),
            IValue.from((double) getWeightDecay()),
            IValue.from((double) maxNorm),
            IValue.from(adam),
            IValue.from(group.get(0).zero())
        };
        // the profiling graph executor would re-optimise the script after its first runs; the plain interpreter
        // runs it as written (one kernel call per line)
        JniUtils.setGraphExecutorOptimize(false);
        try (IValue out = kernel.forward(args)) {
            // out holds the global norm before clipping, which nothing here needs
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /**
     * @return whether updates run libtorch's fused kernel (false before the first update, with
     *     {@code -Dbtw.adam.fused=false}, or on another engine)
     */
    public boolean isFused() {
        return fused != null;
    }

    /** @return the learning rate the tracker gives now */
    public float learningRate() {
        return learningRate.getNewValue(0);
    }

    /**
     * Writes the state: per parameter updated so far, its name, step count and moments.
     *
     * @param out where to
     * @throws IOException on failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(slots.size());
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().steps);
            writeFloats(out, e.getValue().mean.toFloatArray());
            writeFloats(out, e.getValue().variance.toFloatArray());
        }
    }

    /**
     * Restores what {@link #save} wrote. The parameters' arrays must exist (an initialised block), the update counts
     * DJL keeps per parameter follow the restored step counts.
     *
     * @param in where from
     * @param parameters the trained block's parameters, as given to {@link Builder#setParameters}
     * @throws IOException on failure, or a state of other parameters
     */
    public void load(DataInputStream in, PairList<String, Parameter> parameters) throws IOException {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            byName.put(p.getKey(), p.getValue());
        }
        int n = in.readInt();
        slots.clear();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Parameter p = byName.get(name);
            if (p == null || !nameOf.containsKey(p.getId())) {
                throw new IOException("optimiser state for parameter " + name + ", which the model does not have");
            }
            NDArray w = p.getArray();
            Slot s = newSlot(w);
            s.steps = in.readLong();
            s.mean.set(readFloats(in, w.getShape()));
            s.variance.set(readFloats(in, w.getShape()));
            s.stepTensor.set(new float[] {s.steps});
            slots.put(name, s);
            for (long k = 0; k < s.steps; k++) {
                updateCount(p.getId());
            }
        }
    }

    /**
     * Writes a float array with its length.
     *
     * @param out where to
     * @param v the values
     * @throws IOException on failure
     */
    public static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    /**
     * Reads what {@link #writeFloats} wrote, checking the length against a shape.
     *
     * @param in where from
     * @param shape the expected shape
     * @return the values
     * @throws IOException on failure or a length that does not match
     */
    public static float[] readFloats(DataInputStream in, Shape shape) throws IOException {
        int n = in.readInt();
        if (n != shape.size()) {
            throw new IOException("array of " + n + " values where " + shape + " was expected");
        }
        byte[] bytes = new byte[n * Float.BYTES];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        return v;
    }

    @Override
    public String toString() {
        return "FusedAdam{parameters=" + nameOf.size() + ", updated=" + slots.size() + ", fused=" + isFused() + "}";
    }

    /** Builds a {@link FusedAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private PairList<String, Parameter> parameters;
        private Tracker learningRate = Tracker.fixed(1e-3f);
        private float clipNorm;
        private final Map<String, Float> scales = new LinkedHashMap<>();

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param parameters every parameter the optimiser may update, by name: the trained block's
         *     {@code getParameters()}; the names key the saved state
         * @return this builder
         */
        public Builder setParameters(PairList<String, Parameter> parameters) {
            if (parameters == null) {
                throw new IllegalArgumentException("parameters is null: pass block.getParameters()");
            }
            this.parameters = parameters;
            return this;
        }

        /**
         * @param tracker the learning rate (default fixed 1e-3), e.g. a {@link PlateauLearningRate}
         * @return this builder
         */
        public Builder optLearningRateTracker(Tracker tracker) {
            if (tracker == null) {
                throw new IllegalArgumentException("tracker is null");
            }
            this.learningRate = tracker;
            return this;
        }

        /**
         * Clips the global L2 norm of all gradients of a step before the update, as
         * {@code torch.nn.utils.clip_grad_norm_} (and {@code btw train}'s {@code train.clip}), in the same kernel call
         * as the update on the PyTorch engine. Use it instead of the {@link GradientClipping} listener with this
         * optimiser: the same result, one pass over the gradients cheaper.
         *
         * @param maxNorm the largest global norm; 0 for none
         * @return this builder
         */
        public Builder optClipGradNorm(float maxNorm) {
            if (!(maxNorm >= 0)) {
                throw new IllegalArgumentException("the gradient-norm limit must be 0 or more, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * Scales the learning rate of the parameters whose name starts with a prefix (a fine-tuned encoder's, at
         * {@code fine_tune_lr} times the fusion model's). The last matching prefix wins.
         *
         * @param namePrefix the prefix of the parameters' names
         * @param scale the factor
         * @return this builder
         */
        public Builder optLearningRateScale(String namePrefix, float scale) {
            if (namePrefix == null || !(scale >= 0)) {
                throw new IllegalArgumentException("a name prefix and a scale of 0 or more are needed");
            }
            scales.put(namePrefix, scale);
            return this;
        }

        /**
         * @return the optimiser
         * @throws IllegalArgumentException when the parameters were not set
         */
        public FusedAdam build() {
            if (parameters == null) {
                throw new IllegalArgumentException("FusedAdam needs setParameters(block.getParameters())");
            }
            return new FusedAdam(this);
        }
    }
}

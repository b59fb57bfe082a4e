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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with L2 weight decay, as {@code torch.optim.Adam(weight_decay=...)}, as a DJL {@link Optimizer} whose state
 * (moments and step counts, by parameter name) can be saved and restored, so that training resumed from a checkpoint
 * continues exactly. {@code btw train} trains with it; pair it with {@link GradientClipping} for the global-norm
 * clip and {@link PlateauLearningRate} for the schedule.
 *
 * <pre>{@code
 * FusedAdam adam = FusedAdam.builder()
 *         .setParameters(block.getParameters())
 *         .optLearningRateTracker(lr)
 *         .optWeightDecays(1e-4f)
 *         .build();
 * config.optOptimizer(adam);
 * }</pre>
 *
 * <p>On the PyTorch engine each update is one call of a small TorchScript function ({@code fused_adam.pt}, written by
 * {@code scripts/torchscript/fused_adam.py}) over libtorch's fused Adam kernel, which also zeroes the gradient: one
 * pass over the parameter and no temporaries. Written by hand because DJL's Adam kernel allocates about five
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
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Tracker learningRate;
    private PtSymbolBlock fused;
    private boolean fusedTried;

    /** The state of one parameter: first and second moments and the step count. */
    private static final class Slot {
        NDArray mean;
        NDArray variance;
        NDArray stepTensor;
        long steps;
    }

    private FusedAdam(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        for (Pair<String, Parameter> p : b.parameters) {
            nameOf.put(p.getValue().getId(), p.getKey());
            float scale = 1f;
            for (Map.Entry<String, Float> s : b.scales.entrySet()) {
                if (p.getKey().startsWith(s.getKey())) {
                    scale = s.getValue();
                }
            }
            scaleOf.put(p.getKey(), scale);
        }
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
        PtNDArray own = weight instanceof PtNDArray ? JniUtils.getGradient((PtNDArray) weight) : null;
        if (weight instanceof PtNDArray && own == null) {
            // no gradient: the parameter took no part in this step's backward pass (a frozen encoder's, which
            // DJL's Trainer registers all the same); torch's Adam skips such a parameter too
            return;
        }
        Slot s = slots.computeIfAbsent(name, k -> newSlot(weight));
        int count = updateCount(parameterId);
        float lr = learningRate.getNewValue(count) * scaleOf.get(name);
        PtSymbolBlock kernel = own == null ? null : kernel(weight);
        if (kernel != null) {
            // the weight's own gradient (Trainer passes a copy): the kernel zeroes it for the next backward pass
            try {
                fusedUpdate(kernel, weight, own, s, lr);
            } finally {
                own.close();
            }
        } else {
            if (own != null) {
                own.close();
            }
            s.steps++;
            double coef1 = 1.0 - Math.pow(BETA1, s.steps);
            double coef2 = 1.0 - Math.pow(BETA2, s.steps);
            float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
            weight.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(weight, grad, s.mean, s.variance),
                            new NDList(weight),
                            lr,
                            biasCorrected,
                            getWeightDecay(),
                            1f,
                            -1f,
                            BETA1,
                            BETA2,
                            EPSILON,
                            true,
                            false);
        }
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

    private void fusedUpdate(PtSymbolBlock kernel, NDArray weight, NDArray grad, Slot s, float lr) {
        IValue[] args = {
            IValue.listFrom((PtNDArray) weight),
            IValue.listFrom((PtNDArray) grad),
            IValue.listFrom((PtNDArray) s.mean),
            IValue.listFrom((PtNDArray) s.variance),
            IValue.listFrom((PtNDArray) s.stepTensor),
            IValue.from((double) lr),
            IValue.from((double) getWeightDecay())
        };
        // the profiling graph executor would re-optimise the script after its first runs; the plain interpreter
        // runs it as written (one kernel call per line)
        JniUtils.setGraphExecutorOptimize(false);
        try (IValue out = kernel.forward(args)) {
            s.steps++;
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

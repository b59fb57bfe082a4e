package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.btw.core.Task;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.model.OwnedArrays;
import dev.btw.djl.model.TrainingNoise;
import dev.btw.djl.training.SplitData;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MoeFusionBlock} with its parameters on a device, and the two things training does with it: one
 * gradient step on a batch, and predictions for a split. Every step and every prediction batch runs in its own
 * sub-manager. Regression targets are standardised by the caller; classification uses cross-entropy on logits.
 */
public final class FusionModel implements AutoCloseable {

    private final MoeFusionSpec spec;
    private final Task task;
    private final NDManager manager;
    private final MoeFusionBlock block;
    private final StepParameterStore parameters;
    private final TrainingNoise noise = new TrainingNoise();
    private final long[] profile = new long[4];
    private final Map<String, TrainableEncoder> encoders = new LinkedHashMap<>();
    private int epoch = 1;

    /**
     * Creates and initialises a model.
     *
     * @param spec the model spec
     * @param task regression (L1 loss on one output) or classification (cross-entropy)
     * @param device where parameters live
     * @param seed the engine seed used for initialisation
     */
    public FusionModel(MoeFusionSpec spec, Task task, Device device, long seed) {
        this.spec = spec;
        this.task = task;
        MallocTuning.apply();
        this.manager = NDManager.newBaseManager(device);
        Engine.getInstance().setRandomSeed((int) seed);
        this.block = new MoeFusionBlock(spec);
        block.initialize(manager);
        block.setTrainingNoise(noise);
        this.parameters = new StepParameterStore(manager);
    }

    /**
     * Loads the trainable encoder of every fine-tuned modality of the data that this model takes: from now on
     * those modalities' inputs are the encoder's outputs on the data's images (see {@link TrainableEncoder}),
     * and checkpoints hold the encoders' parameters too.
     *
     * @param data the data (its fine-tuned modalities and standardisation)
     * @param train the optimisation settings (the encoders' learning rate is {@code lr * fine_tune_lr})
     * @return this model
     */
    public FusionModel withFineTuning(FusionData data, TrainSettings train) {
        for (FineTunedModality f : data.fineTuned().values()) {
            if (spec.modalityNames().contains(f.modality())) {
                encoders.put(
                        f.modality(),
                        new TrainableEncoder(f, data.standardisation().get(f.modality()), train, new AssetFetcher()));
            }
        }
        return this;
    }

    /**
     * Tells the model which epoch its next training steps belong to (fine-tuned encoders stay frozen for their
     * first {@code fine_tune_freeze_epochs} epochs).
     *
     * @param epoch the epoch, from 1
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** @return the fine-tuned encoders, by modality (empty when none) */
    Map<String, TrainableEncoder> encoders() {
        return encoders;
    }

    /** @return the block */
    public MoeFusionBlock block() {
        return block;
    }

    /**
     * Time spent so far in training steps, by phase.
     *
     * @return nanoseconds in forward (with the loss), backward and the optimiser, then the step count
     */
    public long[] stepProfile() {
        return profile.clone();
    }

    /** Clears the step profile. */
    public void resetStepProfile() {
        Arrays.fill(profile, 0);
    }

    /** @return the spec */
    public MoeFusionSpec spec() {
        return spec;
    }

    /**
     * One training step: forward in training mode, loss (plus the load-balancing term), backward, optimiser.
     *
     * @param data the split
     * @param rows the batch's row indices
     * @param weights BTW weights per instance of the split, {@code [n][M]} in model order
     * @param targets the regression targets (standardised) or class indices, per instance of the split
     * @param optimiser the optimiser
     * @param noiseSeed the seed of this step's gating noise and dropout
     * @return the batch loss
     */
    public float trainStep(
            SplitData data, int[] rows, double[][] weights, double[] targets, FusionAdam optimiser, long noiseSeed) {
        noise.reseed(noiseSeed);
        float lossValue;
        long t0 = System.nanoTime();
        long t1;
        long t2;
        boolean leaves = optimiser.isFused();
        try (NDManager sub = manager.newSubManager()) {
            if (leaves) {
                parameters.begin(sub);
            }
            try {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    // inside the collector: a fine-tuned encoder's forward pass must be recorded for its gradients
                    NDList inputs = inputs(sub, data, rows, weights, true);
                    NDList out = block.forward(parameters, inputs, true, hostPresence(data, rows));
                    NDArray loss = loss(sub, out.get(0), rows, targets).add(out.get(1));
                    lossValue = loss.getFloat();
                    t1 = System.nanoTime();
                    gc.backward(loss);
                }
                t2 = System.nanoTime();
                if (leaves) {
                    optimiser.stepWithLeafGradients(parameters);
                } else {
                    optimiser.step();
                }
                for (TrainableEncoder e : encoders.values()) {
                    if (e.trains(epoch)) {
                        e.step(optimiser.learningRate());
                    }
                }
            } finally {
                parameters.end();
            }
        }
        long t3 = System.nanoTime();
        profile[0] += t1 - t0;
        profile[1] += t2 - t1;
        profile[2] += t3 - t2;
        profile[3]++;
        return lossValue;
    }

    private NDArray loss(NDManager sub, NDArray prediction, int[] rows, double[] targets) {
        int b = rows.length;
        if (task == Task.REGRESSION) {
            float[] y = new float[b];
            for (int i = 0; i < b; i++) {
                y[i] = (float) targets[rows[i]];
            }
            NDArray t = OwnedArrays.of(sub, y, new Shape(b, 1), prediction.getDevice());
            return prediction.sub(t).abs().mean();
        }
        int c = spec.outputs();
        float[] onehot = new float[b * c];
        for (int i = 0; i < b; i++) {
            onehot[i * c + (int) targets[rows[i]]] = 1f;
        }
        NDArray t = OwnedArrays.of(sub, onehot, new Shape(b, c), prediction.getDevice());
        return prediction.logSoftmax(1).mul(t).sum(new int[] {1}).mean().neg();
    }

    /**
     * Raw outputs for every instance of a split, in evaluation mode (no noise, no dropout).
     *
     * @param data the split
     * @param weights BTW weights per instance, {@code [n][M]}
     * @param batch instances per forward pass
     * @return {@code [n][out]}: values for regression, logits for classification
     */
    public float[][] predict(SplitData data, double[][] weights, int batch) {
        int n = data.size();
        int out = spec.outputs();
        float[][] result = new float[n][out];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                float[] v = block.forward(
                                parameters, inputs(sub, data, rows, weights, false), false, hostPresence(data, rows))
                        .get(0)
                        .toFloatArray();
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(v, i * out, result[from + i], 0, out);
                }
            }
        }
        return result;
    }

    private NDList inputs(NDManager sub, SplitData data, int[] rows, double[][] weights, boolean training) {
        List<String> names = spec.modalityNames();
        int b = rows.length;
        int m = names.size();
        NDList list = new NDList(m + 2);
        Device device = manager.getDevice();
        float[] w = new float[b * m];
        float[] mask = new float[b * m];
        for (int j = 0; j < m; j++) {
            String name = names.get(j);
            int d = data.dim(name);
            boolean[] present = data.present(name);
            float[] x = new float[b * d];
            for (int i = 0; i < b; i++) {
                data.copyRow(name, rows[i], x, i * d);
                boolean p = present[rows[i]];
                mask[i * m + j] = p ? 1f : 0f;
                w[i * m + j] = p ? (float) weights[rows[i]][j] : 0f;
            }
            TrainableEncoder encoder = encoders.get(name);
            if (encoder != null) {
                float[] has = new float[b];
                for (int i = 0; i < b; i++) {
                    has[i] = mask[i * m + j];
                }
                list.add(encoder.forward(sub, data, rows, has, training && encoder.trains(epoch)));
                continue;
            }
            list.add(OwnedArrays.of(sub, x, new Shape(b, d), device));
        }
        list.add(OwnedArrays.of(sub, w, new Shape(b, m), device));
        list.add(OwnedArrays.of(sub, mask, new Shape(b, m), device));
        return list;
    }

    /** The batch's presence flags as the block's routing reads them, so that it need not copy the mask back. */
    private PairList<String, Object> hostPresence(SplitData data, int[] rows) {
        List<String> names = spec.modalityNames();
        int b = rows.length;
        float[] present = new float[names.size() * b];
        for (int j = 0; j < names.size(); j++) {
            boolean[] p = data.present(names.get(j));
            for (int i = 0; i < b; i++) {
                present[j * b + i] = p[rows[i]] ? 1f : 0f;
            }
        }
        PairList<String, Object> params = new PairList<>(1);
        params.add(MoeFusionBlock.HOST_PRESENCE, present);
        return params;
    }

    /**
     * Writes every parameter's values, by name, then each fine-tuned encoder's parameters and optimiser state.
     *
     * @param out where to write the parameters
     * @throws IOException on failure
     */
    public void saveParameters(DataOutputStream out) throws IOException {
        PairList<String, Parameter> list = block.getParameters();
        out.writeInt(list.size());
        for (Pair<String, Parameter> p : list) {
            out.writeUTF(p.getKey());
            FusionAdam.writeFloats(out, p.getValue().getArray().toFloatArray());
        }
        for (TrainableEncoder e : encoders.values()) {
            e.save(out);
        }
    }

    /**
     * Copies saved values into the parameters in place (arrays, gradients and optimiser references stay valid).
     *
     * @param in parameters written by {@link #saveParameters} for the same spec
     * @throws IOException on failure or a mismatch
     */
    public void loadParameters(DataInputStream in) throws IOException {
        PairList<String, Parameter> list = block.getParameters();
        int n = in.readInt();
        if (n != list.size()) {
            throw new IOException("checkpoint holds " + n + " parameters, the model has " + list.size());
        }
        for (Pair<String, Parameter> p : list) {
            String name = in.readUTF();
            if (!name.equals(p.getKey())) {
                throw new IOException("checkpoint parameter " + name + " where " + p.getKey() + " was expected");
            }
            NDArray a = p.getValue().getArray();
            a.set(FusionAdam.readFloats(in, a.getShape()));
        }
        for (TrainableEncoder e : encoders.values()) {
            e.load(in);
        }
    }

    @Override
    public void close() {
        encoders.values().forEach(TrainableEncoder::close);
        manager.close();
    }
}

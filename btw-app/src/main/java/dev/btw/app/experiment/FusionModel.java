package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.btw.core.Task;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.model.TrainingNoise;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionTrainer;
import dev.btw.djl.training.SplitData;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link Model} holding a {@link MoeFusionBlock} (and, when modalities are fine-tuned, their encoders in front
 * of it: {@link FineTunedFusionBlock}), initialised from a seed, with the {@link TrainingNoise} its training draws
 * from. {@link FusionRun} trains it with DJL's {@code Trainer}; checkpoints save and load its parameters by name.
 */
public final class FusionModel implements AutoCloseable {

    private final MoeFusionSpec spec;
    private final Task task;
    private final Model model;
    private final MoeFusionBlock block;
    private final TrainingNoise noise = new TrainingNoise();
    private final Map<String, TrainableEncoder> encoders = new LinkedHashMap<>();
    private FineTunedFusionBlock fineTuning;
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
        this.model = Model.newInstance("fusion", device);
        Engine.getInstance().setRandomSeed((int) seed);
        this.block = new MoeFusionBlock(spec);
        block.initialize(model.getNDManager());
        block.setTrainingNoise(noise);
        model.setBlock(block);
    }

    /**
     * Loads the trainable encoder of every fine-tuned modality of the data that this model takes: from now on
     * those modalities' inputs are the encoder's outputs on the data's images (see {@link TrainableEncoder}), the
     * trained block is a {@link FineTunedFusionBlock}, and checkpoints hold the encoders' parameters too.
     *
     * @param data the data (its fine-tuned modalities and standardisation)
     * @param train the optimisation settings
     * @param ids every instance the index inputs count, in order (train, then val, then test)
     * @return this model
     */
    public FusionModel withFineTuning(FusionData data, TrainSettings train, List<String> ids) {
        for (FineTunedModality f : data.fineTuned().values()) {
            if (spec.modalityNames().contains(f.modality())) {
                encoders.put(
                        f.modality(),
                        new TrainableEncoder(f, data.standardisation().get(f.modality()), train, new AssetFetcher()));
            }
        }
        if (!encoders.isEmpty()) {
            fineTuning = new FineTunedFusionBlock(block, encoders, ids, () -> epoch);
            model.setBlock(fineTuning);
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

    /** @return whether modalities are fine-tuned (the datasets then need an index input) */
    public boolean fineTunes() {
        return fineTuning != null;
    }

    /** @return the fine-tuned encoders, by modality (empty when none) */
    Map<String, TrainableEncoder> encoders() {
        return encoders;
    }

    /** @return the fusion block */
    public MoeFusionBlock block() {
        return block;
    }

    /** @return the DJL model, whose block is the one trained */
    public Model model() {
        return model;
    }

    /** @return the noise the fusion block draws from in training */
    public TrainingNoise noise() {
        return noise;
    }

    /** @return the spec */
    public MoeFusionSpec spec() {
        return spec;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /**
     * The optimiser of {@code btw train} for this model: Adam with L2 weight decay and the global gradient-norm clip
     * over the trained block's parameters, each fine-tuned encoder's at {@code fine_tune_lr} times the learning
     * rate.
     *
     * @param learningRate the learning rate's tracker
     * @param weightDecay the L2 coefficient
     * @param clip the global gradient-norm limit, 0 for none
     * @return the optimiser
     */
    public FusedAdam optimiser(Tracker learningRate, float weightDecay, float clip) {
        FusedAdam.Builder b = FusedAdam.builder()
                .setParameters(model.getBlock().getParameters())
                .optLearningRateTracker(learningRate)
                .optWeightDecays(weightDecay)
                .optClipGradNorm(Math.max(0f, clip));
        if (fineTuning != null) {
            for (Map.Entry<String, String> e : fineTuning.parameterPrefixes().entrySet()) {
                b.optLearningRateScale(e.getValue(), encoders.get(e.getKey()).lrMultiplier());
            }
        }
        return b.build();
    }

    /**
     * A {@link FusionTrainer} of this model with the plugin's {@link FusionLoss}, on the model's device: how
     * {@code btw train} and the benchmarks train it.
     *
     * @param optimiser the optimiser ({@link #optimiser})
     * @param listeners the training listeners, in the order they are told
     * @return the trainer
     */
    public Trainer newTrainer(FusedAdam optimiser, TrainingListener... listeners) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(task))
                .optOptimizer(optimiser)
                .optDevices(new Device[] {model.getNDManager().getDevice()})
                .addTrainingListeners(listeners);
        return new FusionTrainer(model, config);
    }

    /**
     * Raw outputs for every instance of a split, in evaluation mode (no noise, no dropout). Not for a model with
     * fine-tuned encoders (their inputs are images: predict through the trainer's datasets).
     *
     * @param data the split
     * @param weights BTW weights per instance, {@code [n][M]}
     * @param batch instances per forward pass
     * @return {@code [n][out]}: values for regression, logits for classification
     */
    public float[][] predict(SplitData data, double[][] weights, int batch) {
        if (fineTuning != null) {
            throw new IllegalStateException("a model with fine-tuned encoders predicts through FusionRun");
        }
        FusionDataset dataset = FusionDataset.builder()
                .setTask(task)
                .setSplitData(data)
                .setSampling(batch, false)
                .build();
        int n = data.size();
        int out = spec.outputs();
        float[][] result = new float[n][out];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDList inputs = dataset.batchInputs(sub, from, to, weights);
                float[] v = block.forward(new ParameterStore(sub, false), inputs, false)
                        .get(0)
                        .toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    System.arraycopy(v, i * out, result[from + i], 0, out);
                }
            }
        }
        return result;
    }

    /**
     * Writes every parameter's values, by name, then each fine-tuned encoder's parameters.
     *
     * @param out where to write the parameters
     * @throws IOException on failure
     */
    public void saveParameters(DataOutputStream out) throws IOException {
        PairList<String, Parameter> list = block.getParameters();
        out.writeInt(list.size());
        for (Pair<String, Parameter> p : list) {
            out.writeUTF(p.getKey());
            FusedAdam.writeFloats(out, p.getValue().getArray().toFloatArray());
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
            a.set(FusedAdam.readFloats(in, a.getShape()));
        }
        for (TrainableEncoder e : encoders.values()) {
            e.load(in);
        }
    }

    /** @return the block DJL trains: the fusion block, or the fine-tuning block around it */
    public Block trainedBlock() {
        return model.getBlock();
    }

    @Override
    public void close() {
        encoders.values().forEach(TrainableEncoder::close);
        model.close();
    }
}

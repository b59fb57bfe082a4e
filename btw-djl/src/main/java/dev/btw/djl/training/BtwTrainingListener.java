package dev.btw.djl.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Split;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.WeightsHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BTW modality weighting as a DJL {@link ai.djl.training.listener.TrainingListener}: add it to a
 * {@code DefaultTrainingConfig} next to DJL's own listeners and train a {@link dev.btw.djl.model.MoeFusionBlock}
 * with {@code EasyTrain.fit} on {@link FusionDataset}s.
 *
 * <p>At the end of every epoch it does what {@code btw train} does after validation (btw-method.md): it
 * computes the validation monitor (MAE, or macro-F1) of the fused model on the validation dataset under the
 * label-free inference weights, decides whether the epoch improved, and hands that to the shared
 * {@link BtwWeightsRefresher}, which applies the trigger ({@code val-improved} or {@code every-epoch}), refreshes
 * the weights against the unimodal references with btw-core's {@code BtwRefresh}, and smooths them with the
 * validation-driven EMA. The new training weights go into the train dataset, so the next epoch's batches carry
 * them; the validation dataset gets the inference weights, so DJL's own validation loss sees what
 * {@code btw train} validates with.
 *
 * <p>{@link Builder#optCheckpointDirectory} checkpoints the BTW state every epoch and restores it when training
 * begins (the block's parameters are DJL's to save: {@code SaveModelTrainingListener}). The learning-rate plateau
 * schedule and gradient clipping of {@code btw train} are the plugin's {@link PlateauLearningRate} and
 * {@link GradientClipping}, added like any DJL listener.
 */
public final class BtwTrainingListener extends TrainingListenerAdapter {

    private final BtwWeightsRefresher refresher;
    private final FusionDataset train;
    private final FusionDataset validation;
    private final Task task;
    private final List<Double> monitors = new ArrayList<>();
    private final Path checkpointDir;
    private Path weightsSavedIn;
    private int weightsSavedAt = -1;
    private int epoch;
    private int bestEpoch;
    private double best;
    private ModalityWeights evaluatedWith;

    private BtwTrainingListener(Builder b) {
        this.train = b.train;
        this.validation = b.validation;
        this.task = train.task();
        double labelStd = train.labelScale() != null
                ? train.labelScale().std()[0]
                : task == Task.REGRESSION ? stdOf(train.splitData().labels()) : 1.0;
        this.checkpointDir = b.checkpointDir;
        Path weightsDir =
                b.weightsDir == null && b.checkpointDir != null ? b.checkpointDir.resolve("weights") : b.weightsDir;
        this.refresher =
                new BtwWeightsRefresher(b.options, task, train.splitData(), b.references, labelStd, weightsDir);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (checkpointDir != null && Files.exists(checkpointDir.resolve(STATE_FILE))) {
            restoreState(checkpointDir);
        }
        train.setWeights(refresher.trainWeights());
        validation.setWeights(validationWeights(trainer));
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        Predictions val = FusionPredictions.predict(trainer, validation, validationWeights(trainer));
        double monitor = ValidationMonitor.of(task, validation.splitData().labels(), val);
        boolean improved = bestEpoch == 0 || ValidationMonitor.better(task, monitor, best);
        if (improved) {
            best = monitor;
            bestEpoch = epoch;
        }
        monitors.add(monitor);
        evaluatedWith = refresher.weightsTable();
        if (refresher.onEpoch(
                epoch,
                improved,
                () -> FusionPredictions.predict(trainer, train, refresher.trainWeights()),
                () -> val)) {
            train.setWeights(refresher.trainWeights());
            validation.setWeights(validationWeights(trainer));
        }
        if (checkpointDir != null) {
            saveState(checkpointDir);
        }
    }

    /** The name of the BTW state file in a checkpoint folder. */
    public static final String STATE_FILE = "btw-state.json";

    /** The name of the training weights file in a checkpoint folder. */
    public static final String WEIGHTS_FILE = "btw-weights.csv";

    /** The listener's state at the end of an epoch, as {@link #saveState} writes it (JSON). */
    public static final class State {
        /** Epochs finished. */
        public int epoch;
        /** The epoch with the best validation monitor, from 1. */
        public int bestEpoch;
        /** That monitor. */
        public double best;
        /** Every epoch's validation monitor. */
        public List<Double> monitors = new ArrayList<>();
        /** Whether {@link #WEIGHTS_FILE} holds the training weights (false before the first refresh). */
        public boolean weights;
        /** The refresh code's state: smoothing factor, refreshes, trigger. */
        public BtwWeightsRefresher.RefresherState refresher;
    }

    /**
     * Writes the BTW state to a folder, beside the block's parameters that DJL's {@code SaveModelTrainingListener}
     * or {@code model.save} write: the training weights ({@link #WEIGHTS_FILE}) first, then {@link #STATE_FILE},
     * atomically, so a killed process leaves the previous state or the new one. {@link Builder#optCheckpointDirectory}
     * does this at the end of every epoch.
     *
     * @param dir the folder (created when missing)
     * @throws UncheckedIOException when it cannot be written
     */
    public void saveState(Path dir) {
        State st = state();
        ModalityWeights w = refresher.weightsTable();
        try {
            Files.createDirectories(dir);
            // the table changes only at a refresh: an epoch without one keeps the file already written there
            if (w != null && !(dir.equals(weightsSavedIn) && refresher.refreshes() == weightsSavedAt)) {
                w.writeCsv(dir.resolve(WEIGHTS_FILE));
                weightsSavedIn = dir;
                weightsSavedAt = refresher.refreshes();
            }
            AtomicFiles.writeString(dir.resolve(STATE_FILE), Json.MAPPER.writeValueAsString(st) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the BTW state to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores what {@link #saveState} wrote, so that training resumed from a checkpoint continues with the same
     * weights, smoothing, trigger and best epoch (and the refresh history, when the checkpoint folder holds the
     * {@code weights} folder that {@link Builder#optCheckpointDirectory} writes). Load the block's parameters from
     * the same epoch with DJL ({@code model.load}); the optimiser's state is DJL's and starts afresh.
     *
     * @param dir the folder
     * @throws BtwException when the state is missing or damaged, naming the file
     */
    public void restoreState(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        State st;
        try {
            st = Json.MAPPER.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new BtwException("cannot read the BTW state " + file + ": " + e.getMessage());
        }
        if (st.refresher == null || st.monitors == null || st.monitors.size() != st.epoch) {
            throw new BtwException("the BTW state " + file + " is damaged: delete it to train from the start");
        }
        ModalityWeights w = st.weights ? ModalityWeights.readCsv(dir.resolve(WEIGHTS_FILE)) : null;
        restore(st, w);
    }

    /**
     * The listener's state now, for a checkpoint of your own ({@link #saveState} writes it to a folder).
     *
     * @return a copy of the state; its {@code weights} flag says whether {@link #weightsTable()} is set
     */
    public State state() {
        State st = new State();
        st.epoch = epoch;
        st.bestEpoch = bestEpoch;
        st.best = best;
        st.monitors = new ArrayList<>(monitors);
        st.refresher = refresher.state();
        st.weights = refresher.weightsTable() != null;
        return st;
    }

    /**
     * Restores a state that {@link #state()} gave, with the training weights of the same moment, before training
     * resumes (call it before the trainer is made, or in a listener's {@code onTrainingBegin} ahead of this one).
     *
     * @param st the state
     * @param weights the training weights table ({@link #weightsTable()} then), or null before the first refresh
     * @throws BtwException when the state is inconsistent
     */
    public void restore(State st, ModalityWeights weights) {
        if (st == null || st.refresher == null || st.monitors == null || st.monitors.size() != st.epoch) {
            throw new BtwException("the BTW state is damaged: its epochs and monitors disagree");
        }
        refresher.restore(st.refresher, weights);
        epoch = st.epoch;
        bestEpoch = st.bestEpoch;
        best = st.best;
        monitors.clear();
        monitors.addAll(st.monitors);
        train.setWeights(refresher.trainWeights());
    }

    /** @return the training weights table of the last refresh, or null before the first */
    public ModalityWeights weightsTable() {
        return refresher.weightsTable();
    }

    /**
     * @return the training weights table under which the last epoch was trained and validated (before that epoch's
     *     refresh): what a checkpoint of that epoch's parameters predicts with; null when unit weights were used
     */
    public ModalityWeights evaluatedWeightsTable() {
        return evaluatedWith;
    }

    /** @return the number of epochs finished */
    public int epoch() {
        return epoch;
    }

    private double[][] validationWeights(Trainer trainer) {
        return refresher.inferenceWeights(
                Split.VAL,
                validation.splitData(),
                refresher.weightsTable(),
                w -> FusionPredictions.predict(trainer, validation, w));
    }

    /**
     * The label-free weights for other data (a test split, new instances) under the inference policy, from the
     * current training weights: set them on the dataset before predicting it.
     *
     * @param trainer the trainer (for the {@code instance} policy's first pass)
     * @param split which split the data is (the references' predictions for it are used by {@code instance})
     * @param data the data
     * @return weights {@code [n][M]}
     */
    public double[][] inferenceWeights(Trainer trainer, Split split, FusionDataset data) {
        if (trainer == null || split == null || data == null) {
            throw new IllegalArgumentException(
                    (trainer == null ? "trainer" : split == null ? "split" : "data") + " is null");
        }
        return refresher.inferenceWeights(
                split, data.splitData(), refresher.weightsTable(), w -> FusionPredictions.predict(trainer, data, w));
    }

    /**
     * The modality prior w^m: each modality's mean training weight over the instances that have it (1 before the
     * first refresh, or for a modality never present), as {@code btw export} bakes it into the ONNX graph:
     * {@code new FusionOnnxExporter(block).export(task, btw.modalityPrior())}.
     *
     * @return the prior by modality, in the block's order
     */
    public Map<String, Double> modalityPrior() {
        Map<String, Double> prior = refresher.weightsTable() == null
                ? Map.of()
                : LabelFreeWeights.builder(InferencePolicy.MODALITY_PRIOR)
                        .setTrainingWeights(refresher.weightsTable())
                        .build()
                        .prior();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String m : train.modalities()) {
            Double w = prior.get(m);
            out.put(m, w == null || w.isNaN() ? 1.0 : w);
        }
        return out;
    }

    /**
     * Every refresh so far, oldest first. {@code history().last()} is the latest (null before the first refresh):
     * its {@code epoch()} (from 1, as {@link #bestEpoch()}), {@code shares()} (mu^m, summing to 1),
     * {@code meanWeights()} (the mean training weight per modality) and {@code weights()} (the table per
     * instance).
     *
     * @return the refreshes
     */
    public WeightsHistory history() {
        return refresher.history();
    }

    /** @return the validation monitor (MAE, or macro-F1) of every epoch so far; element 0 is epoch 1 */
    public List<Double> validationMonitors() {
        return List.copyOf(monitors);
    }

    /**
     * @return the validation monitor of the last epoch (MAE for regression, macro-F1 for classification), NaN
     *     before the first epoch; what {@link PlateauLearningRate} steps on
     */
    public double lastValidationMonitor() {
        return monitors.isEmpty() ? Double.NaN : monitors.get(monitors.size() - 1);
    }

    /** @return true when a higher validation monitor is better (classification's macro-F1) */
    public boolean higherIsBetter() {
        return task == Task.CLASSIFICATION;
    }

    /**
     * @return the epoch with the best validation monitor, counting from 1 (the first epoch is 1); 0 before the
     *     first epoch ends
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the shared refresh code this listener drives */
    public BtwWeightsRefresher refresher() {
        return refresher;
    }

    private static double stdOf(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= Math.max(1, y.length);
        double s = 0;
        for (double v : y) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / Math.max(1, y.length));
    }

    private static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null");
        }
    }

    /** Builds a {@link BtwTrainingListener}. */
    public static final class Builder {

        private FusionDataset train;
        private FusionDataset validation;
        private References references;
        private BtwSettings options = ConfigDefaults.BTW;
        private Path weightsDir;
        private Path checkpointDir;

        Builder() {}

        /**
         * @param train the dataset {@code EasyTrain.fit} trains on; its weights are replaced after each refresh
         * @return this builder
         */
        public Builder setTrainDataset(FusionDataset train) {
            requireArgument(train, "train");
            this.train = train;
            return this;
        }

        /**
         * @param validation the dataset that drives the trigger and the smoothing (and DJL's validation loss)
         * @return this builder
         */
        public Builder setValidationDataset(FusionDataset validation) {
            requireArgument(validation, "validation");
            this.validation = validation;
            return this;
        }

        /**
         * @param references the unimodal references' predictions on the train split (and on val and test for
         *     the {@code instance} inference policy), in the datasets' instance order
         * @return this builder
         */
        public Builder setReferences(References references) {
            requireArgument(references, "references");
            this.references = references;
            return this;
        }

        /**
         * @param rule the combination rule (default {@code exp(-kl)*mi}, the config's default)
         * @return this builder
         */
        public Builder optRule(CombinationRule rule) {
            requireArgument(rule, "rule");
            this.options = options.withRule(rule);
            return this;
        }

        /**
         * Every weighting setting from the config's {@code btw} section, the same type {@code btw train} reads
         * (btw-core's {@code BtwConfig.load(file, overrides).btw()}, or {@code ConfigDefaults.BTW}): rule, sigma,
         * trigger, inference policy, smoothing, scale and the MI estimator's settings. docs/CONFIG.md lists them.
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder optSettings(BtwSettings settings) {
            if (settings == null) {
                throw new IllegalArgumentException("settings is null; ConfigDefaults.BTW holds the defaults");
            }
            this.options = settings;
            return this;
        }

        /**
         * @param dir where every refresh is written, as {@code btw train} writes {@code weights/}
         * @return this builder
         */
        public Builder optWeightsDirectory(Path dir) {
            requireArgument(dir, "dir");
            this.weightsDir = dir;
            return this;
        }

        /**
         * Checkpoints the BTW state: at the end of every epoch the listener writes {@link #saveState} to this folder
         * (and every refresh under its {@code weights} folder, unless {@link #optWeightsDirectory} names another),
         * and when training begins with a state there it restores it: a run resumed with the block's parameters of
         * the same epoch (DJL's {@code SaveModelTrainingListener}, then {@code model.load}) continues with the same
         * BTW weights, smoothing, trigger and best epoch.
         *
         * @param dir the checkpoint folder
         * @return this builder
         */
        public Builder optCheckpointDirectory(Path dir) {
            if (dir == null) {
                throw new IllegalArgumentException("dir is null");
            }
            this.checkpointDir = dir;
            return this;
        }

        /**
         * @return the listener
         * @throws IllegalArgumentException when a dataset or the references are missing or disagree
         */
        public BtwTrainingListener build() {
            if (train == null || validation == null) {
                throw new IllegalArgumentException("BtwTrainingListener needs a train and a validation dataset: "
                        + (train == null ? "setTrainDataset" : "setValidationDataset") + " was not called");
            }
            if (train.task() != validation.task()) {
                throw new IllegalArgumentException("train and validation datasets have different tasks");
            }
            if (!train.modalities().equals(validation.modalities())) {
                throw new IllegalArgumentException("train modalities " + train.modalities()
                        + " differ from validation modalities " + validation.modalities());
            }
            if (options.refreshes()) {
                if (references == null) {
                    throw new IllegalArgumentException(
                            "rule " + options.rule() + " needs the unimodal references (setReferences)");
                }
                if (!references.modalities().containsAll(train.modalities())) {
                    throw new IllegalArgumentException("references cover " + references.modalities()
                            + ", the datasets hold " + train.modalities());
                }
            }
            return new BtwTrainingListener(this);
        }
    }
}

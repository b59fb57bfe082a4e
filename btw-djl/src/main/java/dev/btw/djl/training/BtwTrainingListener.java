package dev.btw.djl.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.data.Split;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.core.weights.WeightsHistory;
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
 * <p>What it does not do: checkpoints of the BTW state (DJL's {@code SaveModelTrainingListener} saves the block's
 * parameters; {@link #history()} holds every refresh, {@link Builder#optWeightsDirectory} writes them), and the
 * learning-rate plateau schedule and gradient clipping of {@code btw train}: those are the user's DJL choices.
 */
public final class BtwTrainingListener extends TrainingListenerAdapter {

    private final BtwWeightsRefresher refresher;
    private final FusionDataset train;
    private final FusionDataset validation;
    private final Task task;
    private final List<Double> monitors = new ArrayList<>();
    private int epoch;
    private int bestEpoch;
    private double best;

    private BtwTrainingListener(Builder b) {
        this.train = b.train;
        this.validation = b.validation;
        this.task = train.task();
        double labelStd = train.labelScale() != null
                ? train.labelScale().std()[0]
                : task == Task.REGRESSION ? stdOf(train.splitData().labels()) : 1.0;
        this.refresher =
                new BtwWeightsRefresher(b.options, task, train.splitData(), b.references, labelStd, b.weightsDir);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
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
        if (refresher.onEpoch(
                epoch,
                improved,
                () -> FusionPredictions.predict(trainer, train, refresher.trainWeights()),
                () -> val)) {
            train.setWeights(refresher.trainWeights());
            validation.setWeights(validationWeights(trainer));
        }
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
        private BtwOptions options = BtwOptions.defaults(CombinationRule.EXP_NEG_KL_MI);
        private Path weightsDir;

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
            this.options = BtwOptions.of(settings, settings.rule());
            return this;
        }

        /**
         * @param options every weighting option (default: a config's {@code btw} defaults)
         * @return this builder
         */
        public Builder optOptions(BtwOptions options) {
            requireArgument(options, "options");
            this.options = options;
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

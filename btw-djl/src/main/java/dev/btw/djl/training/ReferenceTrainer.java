package dev.btw.djl.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.listener.EarlyStoppingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.btw.core.Task;
import dev.btw.core.data.Folds;
import dev.btw.core.data.Split;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trains the unimodal references that {@link BtwTrainingListener} weighs the modalities against: one model per
 * modality (the fusion spec restricted to that modality, {@link MoeFusionSpec#restrictTo}), trained with DJL's
 * {@link Trainer} and {@link EasyTrain#fit} on the instances that have the modality, then asked for its
 * predictions on every split given, in the datasets' instance order (a null row where the modality is missing).
 *
 * <pre>{@code
 * References references = ReferenceTrainer.builder()
 *         .setSpec(spec)
 *         .optEpochs(5)
 *         .build()
 *         .train(Map.of(Split.TRAIN, train, Split.VAL, val, Split.TEST, test));
 * }</pre>
 *
 * <p>The reference policies of {@link ReferencePolicy} (docs/METHOD.md, "Reference policies"):
 *
 * <ul>
 *   <li>{@code in-sample} (the default, the paper's): BTW reads each reference's predictions on the instances it
 *       was trained on;
 *   <li>{@code out-of-fold}: each train instance's reference prediction also comes from a fold model that did not
 *       see it ({@link Builder#optFolds}, stratified by class, and {@link Builder#optGroups} keeps a group, e.g. a
 *       speaker, in one fold); this costs {@code folds} more models per modality;
 *   <li>{@code validation}: the modality shares are measured on the validation split.
 * </ul>
 *
 * <p>The sigma of each reference (its train RMS residual, which the regression divergence needs) is computed
 * here; classification has none. Train, validation and test datasets may be built with any sampling: the
 * references build their own, unshuffled for predictions.
 */
public final class ReferenceTrainer {

    private final MoeFusionSpec spec;
    private final Supplier<TrainingConfig> config;
    private final int epochs;
    private final int batchSize;
    private final ReferencePolicy policy;
    private final int folds;
    private final Map<String, String> groups;
    private final long seed;

    private ReferenceTrainer(Builder b) {
        this.spec = b.spec;
        this.config = b.config;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.policy = b.policy;
        this.folds = b.folds;
        this.groups = b.groups;
        this.seed = b.seed;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains one reference per modality of the train dataset and predicts every split given.
     *
     * @param splits the datasets by split: {@link Split#TRAIN} is required; {@link Split#VAL} for the validation
     *     policy and the listener's validation weights; {@link Split#TEST} for the {@code instance} inference policy
     *     on test
     * @return the references, with the policy set
     * @throws IllegalArgumentException when the train split is missing, or the datasets disagree in task or
     *     modalities, or a modality's width is not the spec's
     */
    public References train(Map<Split, FusionDataset> splits) {
        Objects.requireNonNull(splits, "splits");
        FusionDataset train = splits.get(Split.TRAIN);
        if (train == null) {
            throw new IllegalArgumentException("ReferenceTrainer.train needs the train dataset (Split.TRAIN)");
        }
        if (policy == ReferencePolicy.VALIDATION && !splits.containsKey(Split.VAL)) {
            throw new IllegalArgumentException("the validation reference policy needs the validation dataset");
        }
        for (Map.Entry<Split, FusionDataset> e : splits.entrySet()) {
            FusionDataset d = Objects.requireNonNull(e.getValue(), "dataset of split " + e.getKey());
            if (d.task() != train.task()) {
                throw new IllegalArgumentException("the " + e.getKey() + " dataset's task is " + d.task()
                        + ", the train dataset's " + train.task());
            }
            if (!d.modalities().equals(train.modalities())) {
                throw new IllegalArgumentException("the " + e.getKey() + " dataset holds " + d.modalities()
                        + ", the train dataset " + train.modalities());
            }
        }
        Supplier<TrainingConfig> configs = config != null ? config : () -> defaultConfig(train.task());
        References references = new References().withPolicy(policy);
        for (String modality : train.modalities()) {
            if (!spec.modalityNames().contains(modality)) {
                throw new IllegalArgumentException(
                        "the spec has no modality '" + modality + "' (it has " + spec.modalityNames() + ")");
            }
            int want = spec.inputDim(modality);
            int have = train.splitData().dim(modality);
            if (want != have) {
                throw new IllegalArgumentException(
                        "modality '" + modality + "': the spec says " + want + " values, the dataset has " + have);
            }
            Map<Split, Predictions> bySplit = new EnumMap<>(Split.class);
            SplitData trainRows = train.splitData().restrictTo(modality);
            Map<Split, SplitData> restricted = new EnumMap<>(Split.class);
            splits.forEach((s, d) -> restricted.put(s, d.splitData().restrictTo(modality)));
            Map<Split, Predictions> predicted = fitAndPredict(modality, trainRows, restricted, train, configs, seed);
            for (Map.Entry<Split, FusionDataset> e : splits.entrySet()) {
                bySplit.put(e.getKey(), align(e.getValue().splitData(), predicted.get(e.getKey())));
            }
            boolean regression = train.task() == Task.REGRESSION;
            double[] y = train.splitData().labels();
            Predictions trainPredictions = bySplit.get(Split.TRAIN);
            references.put(modality, bySplit, regression ? trainPredictions.rmsResidual(y) : Double.NaN);
            if (policy == ReferencePolicy.OUT_OF_FOLD) {
                Predictions oof = align(train.splitData(), outOfFold(modality, trainRows, train, configs));
                references.putOutOfFold(modality, oof, regression ? oof.rmsResidual(y) : Double.NaN);
            }
        }
        return references;
    }

    /**
     * Trains on the train dataset alone, and predicts it and the validation dataset.
     *
     * @param train the train dataset
     * @param validation the validation dataset
     * @return the references
     */
    public References train(FusionDataset train, FusionDataset validation) {
        Map<Split, FusionDataset> splits = new EnumMap<>(Split.class);
        splits.put(Split.TRAIN, Objects.requireNonNull(train, "train"));
        splits.put(Split.VAL, Objects.requireNonNull(validation, "validation"));
        return train(splits);
    }

    private Map<Split, Predictions> fitAndPredict(
            String modality,
            SplitData fitRows,
            Map<Split, SplitData> predictRows,
            FusionDataset like,
            Supplier<TrainingConfig> configs,
            long modelSeed) {
        MoeFusionSpec one = spec.restrictTo(modality);
        Engine.getInstance().setRandomSeed((int) modelSeed);
        try (Model model = Model.newInstance("reference-" + modality)) {
            MoeFusionBlock block = new MoeFusionBlock(one);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(configs.get())) {
                trainer.initialize(block.inputShapes(batchSize));
                try {
                    EasyTrain.fit(trainer, epochs, dataset(fitRows, like, true), null);
                } catch (EarlyStoppingListener.EarlyStoppedException e) {
                    // the user's early-stopping listener ended the reference's training: keep what it has
                }
                Map<Split, Predictions> out = new EnumMap<>(Split.class);
                for (Map.Entry<Split, SplitData> e : predictRows.entrySet()) {
                    FusionDataset d = dataset(e.getValue(), like, false);
                    out.put(
                            e.getKey(),
                            FusionPredictions.predict(
                                    trainer, d, ones(e.getValue().size())));
                }
                return out;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training the reference of modality '" + modality + "'", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("training the reference of modality '" + modality + "'", e);
        }
    }

    private Predictions outOfFold(
            String modality, SplitData trainRows, FusionDataset like, Supplier<TrainingConfig> configs) {
        int n = trainRows.size();
        if (groups != null) {
            for (String id : trainRows.ids()) {
                if (groups.get(id) == null) {
                    throw new IllegalArgumentException("optGroups has no group for train instance '" + id + "'");
                }
            }
        }
        int[] fold = trainRows.folds(like.task(), groups, folds, seed);
        double[][] values = new double[n][];
        for (int f = 0; f < folds; f++) {
            int[] heldRows = Folds.rows(fold, f, true);
            int[] keptRows = Folds.rows(fold, f, false);
            if (heldRows.length == 0 || keptRows.length == 0) {
                continue;
            }
            Map<Split, SplitData> predict = new EnumMap<>(Split.class);
            predict.put(Split.TEST, trainRows.subset(heldRows));
            Predictions p = fitAndPredict(
                            modality, trainRows.subset(keptRows), predict, like, configs, seed + 7919L * (f + 1))
                    .get(Split.TEST);
            for (int j = 0; j < heldRows.length; j++) {
                values[heldRows[j]] = p.values()[j];
            }
        }
        return new Predictions(trainRows.ids(), values);
    }

    private static TrainingConfig defaultConfig(Task task) {
        return new DefaultTrainingConfig(FusionLoss.of(task))
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(1e-3f))
                        .build());
    }

    private FusionDataset dataset(SplitData rows, FusionDataset like, boolean shuffle) {
        return FusionDataset.builder()
                .setTask(like.task())
                .setSplitData(rows)
                .optLabelScale(like.labelScale())
                .setSampling(batchSize, shuffle)
                .build();
    }

    /** The predictions of the instances that have the modality, placed at their rows of the whole split. */
    private static Predictions align(SplitData all, Predictions some) {
        Map<String, double[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < some.ids().size(); i++) {
            byId.put(some.ids().get(i), some.values()[i]);
        }
        double[][] values = new double[all.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = byId.get(all.ids().get(i));
        }
        return new Predictions(all.ids(), values);
    }

    private static double[][] ones(int n) {
        double[][] w = new double[n][1];
        for (double[] row : w) {
            row[0] = 1;
        }
        return w;
    }

    /** Builds a {@link ReferenceTrainer}. */
    public static final class Builder {

        private MoeFusionSpec spec;
        private Supplier<TrainingConfig> config;
        private int epochs = 10;
        private int batchSize = 32;
        private ReferencePolicy policy = ReferencePolicy.IN_SAMPLE;
        private int folds = 5;
        private Map<String, String> groups;
        private long seed = 1111;

        Builder() {}

        /**
         * @param spec the fusion model's spec: each reference is this spec restricted to its modality
         * @return this builder
         */
        public Builder setSpec(MoeFusionSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * @param config a new DJL training configuration for every model trained (a supplier, since optimisers
         *     and listeners hold state); default: {@link FusionLoss} and Adam at a fixed learning rate of 1e-3
         * @return this builder
         */
        public Builder optTrainingConfig(Supplier<TrainingConfig> config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param epochs epochs per reference (default 10)
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * @param batchSize training batch size (default 32)
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param policy which reference predictions BTW reads (default {@code in-sample})
         * @return this builder
         */
        public Builder optPolicy(ReferencePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param folds the number of folds of the {@code out-of-fold} policy (default 5)
         * @return this builder
         */
        public Builder optFolds(int folds) {
            if (folds < 2) {
                throw new IllegalArgumentException("out-of-fold needs at least 2 folds, got " + folds);
            }
            this.folds = folds;
            return this;
        }

        /**
         * @param groups each train instance's group (by instance id), kept in one fold under {@code out-of-fold}
         *     (a speaker, a patient); default none
         * @return this builder
         */
        public Builder optGroups(Map<String, String> groups) {
            this.groups = Map.copyOf(Objects.requireNonNull(groups, "groups"));
            return this;
        }

        /**
         * @param seed the seed of every reference model and of the folds (default 1111)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException without a spec
         */
        public ReferenceTrainer build() {
            if (spec == null) {
                throw new IllegalArgumentException("ReferenceTrainer needs setSpec(the fusion spec)");
            }
            return new ReferenceTrainer(this);
        }
    }
}

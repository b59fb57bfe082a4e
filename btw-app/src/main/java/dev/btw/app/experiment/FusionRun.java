package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.math.Softmax;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.BtwTrainingListener;
import dev.btw.djl.training.BtwWeightsRefresher;
import dev.btw.djl.training.EpochShuffleSampler;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionPredictions;
import dev.btw.djl.training.InstancePolicySettings;
import dev.btw.djl.training.PlateauLearningRate;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.StepSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One training run of the fusion model (or of a unimodal reference: the same code on one modality) for one
 * method and seed, on the plugin: DJL's {@code Trainer} and {@code EasyTrain.fit} over {@link FusionDataset}s with
 * the {@link FusionLoss}, the {@link BtwTrainingListener} (validation monitor, BTW refreshes), {@link FusedAdam}
 * (Adam with L2 weight decay and the global gradient-norm clip) driven by {@link PlateauLearningRate}, and
 * {@link StepSeeds}; around them, best and last checkpoints, early stopping on the validation monitor (MAE for
 * regression, macro-F1 for classification), and resume from the last checkpoint. A run that refreshed also records
 * its {@link InstancePolicySettings} next to the checkpoints.
 *
 * <p>All randomness after initialisation (batch order, gating noise, dropout) is drawn in Java from the seed,
 * the epoch and the step ({@link EpochShuffleSampler}, {@link StepSeeds}), so a resumed run repeats exactly what
 * the uninterrupted one would have done.
 */
public final class FusionRun {

    private static final int PREDICT_BATCH = 256;

    private final FusionData data;
    private final MoeFusionSpec spec;
    private final TrainSettings settings;
    private final BtwSettings btw;
    private final References references;
    private final Device device;
    private final long seed;
    private final Path checkpointDir;
    private final Path weightsDir;
    private final double labelMean;
    private final double labelStd;
    private EpochObserver observer = (epoch, loss, monitor) -> {};

    /** Told about every finished epoch (progress display). */
    @FunctionalInterface
    public interface EpochObserver {
        /**
         * @param epoch the epoch
         * @param trainLoss its mean training loss
         * @param valMonitor the validation monitor
         */
        void onEpoch(int epoch, double trainLoss, double valMonitor);
    }

    /**
     * @param data the data (restricted to one modality for a reference)
     * @param spec the model spec (restricted likewise)
     * @param settings optimisation settings
     * @param btw weighting options (rule null: unit weights)
     * @param references the unimodal references (needed when {@code btw} refreshes)
     * @param device the device
     * @param seed the run's seed
     * @param checkpointDir where {@code best.ckpt} and {@code last.ckpt} go, or null for none
     * @param weightsDir where refreshes are written, or null
     */
    public FusionRun(
            FusionData data,
            MoeFusionSpec spec,
            TrainSettings settings,
            BtwSettings btw,
            References references,
            Device device,
            long seed,
            Path checkpointDir,
            Path weightsDir) {
        this.data = data;
        this.spec = spec;
        this.settings = settings;
        this.btw = btw;
        this.references = references;
        this.device = device;
        this.seed = seed;
        this.checkpointDir = checkpointDir;
        this.weightsDir = weightsDir;
        if (data.task() == Task.REGRESSION) {
            Standardisation scale = labelScale(data);
            labelMean = scale.mean()[0];
            labelStd = scale.std()[0];
        } else {
            labelMean = 0;
            labelStd = 1;
        }
    }

    /**
     * The scaling regression labels are trained under: the train split's mean and population standard deviation.
     *
     * @param data the data the run trains on
     * @return the label scaling
     */
    public static Standardisation labelScale(FusionData data) {
        return Standardisation.fit(data.split(Split.TRAIN).labels());
    }

    /**
     * @param observer told about every epoch
     * @return this run
     */
    public FusionRun withObserver(EpochObserver observer) {
        this.observer = observer;
        return this;
    }

    /** What a finished run produced. */
    public record Outcome(
            Map<Split, Predictions> predictions, RunState state, WeightsSummary weights, long refreshNanos) {}

    /** The weights of the selected checkpoint: its table (null for unit weights) and the refresh count. */
    public record WeightsSummary(ModalityWeights selected, int refreshes) {}

    /**
     * Trains (or resumes) with DJL's {@code Trainer} and the plugin's dataset, loss and listeners, then predicts
     * every split with the best checkpoint under the inference policy.
     *
     * @param resume continue from {@code last.ckpt} when it exists
     * @return the outcome
     */
    public Outcome run(boolean resume) {
        SplitData train = data.split(Split.TRAIN);
        List<String> ids = new ArrayList<>();
        Map<Split, Long> offsets = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            offsets.put(s, (long) ids.size());
            ids.addAll(data.split(s).ids());
        }
        try (FusionModel model = new FusionModel(spec, data.task(), device, seed).withFineTuning(data, settings, ids)) {
            long noIndex = -1;
            EpochShuffleSampler sampler = new EpochShuffleSampler(settings.batch(), seed);
            Map<Split, FusionDataset> sets = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                sets.put(
                        s,
                        dataset(
                                data.split(s),
                                s == Split.TRAIN ? sampler : null,
                                model.fineTunes() ? offsets.get(s) : noIndex));
            }
            BtwTrainingListener.Builder lb = BtwTrainingListener.builder()
                    .setTrainDataset(sets.get(Split.TRAIN))
                    .setValidationDataset(sets.get(Split.VAL))
                    .optSettings(btw);
            if (references != null) {
                lb.setReferences(references);
            }
            if (weightsDir != null) {
                lb.optWeightsDirectory(weightsDir);
            }
            BtwTrainingListener btwListener = lb.build();
            PlateauLearningRate lr = PlateauLearningRate.builder()
                    .setBaseValue((float) settings.lr())
                    .setMonitor(btwListener::lastValidationMonitor, btwListener.higherIsBetter())
                    .optFactor(settings.lrFactor())
                    .optPatience(settings.lrPatience())
                    .build();
            FusedAdam optimiser = model.optimiser(lr, (float) settings.weightDecay(), (float) settings.clip());
            StepSeeds seeds = new StepSeeds(seed, model.noise(), sampler);
            Path last = checkpointDir == null ? null : checkpointDir.resolve(RunDirectory.LAST_CHECKPOINT);
            Path best = checkpointDir == null ? null : checkpointDir.resolve(RunDirectory.BEST_CHECKPOINT);
            if (resume && best != null && Files.exists(best)) {
                Checkpoint.verify(best); // the resumed run predicts with it: refuse a damaged one before training
            }
            RunState state = new RunState();
            if (resume && last != null && Files.exists(last)) {
                Checkpoint.Restored r = Checkpoint.read(last, model, optimiser);
                state = r.state();
                lr.restore(state.plateau);
                btwListener.restore(listenerState(state), r.weights());
                seeds.setEpochsDone(state.epoch);
            }
            EpochBook book = new EpochBook(model, optimiser, btwListener, lr, state, best, last);
            ModalityWeights bestWeights;
            try (Trainer trainer =
                    model.newTrainer(optimiser, new BatchLoss(book.loss::add), book.loss, btwListener, book, seeds)) {
                int remaining = state.stopped ? 0 : settings.epochs() - state.epoch;
                try {
                    if (remaining > 0) {
                        model.setEpoch(state.epoch + 1);
                        EasyTrain.fit(trainer, remaining, sets.get(Split.TRAIN), null);
                    }
                } catch (EarlyStoppingListener.EarlyStoppedException stop) {
                    // patience ran out: the book wrote the last checkpoint with stopped set
                } catch (IOException | TranslateException e) {
                    throw new BtwException("training failed: " + e.getMessage());
                }
                if (best != null && Files.exists(best)) {
                    bestWeights = Checkpoint.read(best, model, null).weights();
                } else {
                    bestWeights = btwListener.weightsTable();
                }
                BtwWeightsRefresher refresher = btwListener.refresher();
                Map<Split, Predictions> out = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    FusionDataset d = sets.get(s);
                    ModalityWeights table = bestWeights;
                    double[][] w = refresher.inferenceWeights(
                            s, d.splitData(), table, x -> FusionPredictions.predict(trainer, d, x));
                    out.put(s, FusionPredictions.predict(trainer, d, w));
                }
                if (checkpointDir != null) {
                    // the encoders as the best checkpoint left them, which made the predictions above
                    FineTunedEncoderFolder.write(model, checkpointDir);
                }
                InstancePolicySettings instance = refresher.instanceSettings();
                if (checkpointDir != null && instance != null) {
                    // what the instance policy used above, for an export to compute the same weights
                    instance.write(checkpointDir);
                }
                return new Outcome(
                        out,
                        book.state,
                        new WeightsSummary(bestWeights, refresher.refreshes()),
                        refresher.refreshNanos());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
        }
    }

    private FusionDataset dataset(SplitData split, EpochShuffleSampler sampler, long indexOffset) {
        FusionDataset.Builder b = FusionDataset.builder().setTask(data.task()).setSplitData(split);
        if (data.task() == Task.REGRESSION) {
            b.optLabelScale(new Standardisation(new double[] {labelMean}, new double[] {labelStd}));
        }
        if (sampler != null) {
            b.setSampling(sampler);
        } else {
            b.setSampling(PREDICT_BATCH, false);
        }
        if (indexOffset >= 0) {
            b.optIndexInput(indexOffset);
        }
        return b.build();
    }

    private static BtwTrainingListener.State listenerState(RunState state) {
        BtwTrainingListener.State st = new BtwTrainingListener.State();
        st.epoch = state.epoch;
        st.bestEpoch = state.bestEpoch;
        st.best = state.bestEpoch == 0 ? 0 : state.best;
        st.monitors = new ArrayList<>(state.valMonitor);
        st.refresher = state.btw;
        return st;
    }

    /**
     * The run's bookkeeping at the end of every epoch, after the BTW listener validated and refreshed: the run state,
     * the best checkpoint (with the weights the epoch was validated under), the plateau step, the last checkpoint,
     * early stopping and the progress line. Its {@link #loss} listener, added before the BTW listener, sums the
     * training loss and refuses a diverged model before its NaN predictions could read as missing modalities.
     */
    private final class EpochBook extends TrainingListenerAdapter {

        private final FusionModel model;
        private final FusedAdam optimiser;
        private final BtwTrainingListener btwListener;
        private final PlateauLearningRate lr;
        private final RunState state;
        private final Path best;
        private final Path last;
        private final EpochLoss loss;

        EpochBook(
                FusionModel model,
                FusedAdam optimiser,
                BtwTrainingListener btwListener,
                PlateauLearningRate lr,
                RunState state,
                Path best,
                Path last) {
            this.model = model;
            this.optimiser = optimiser;
            this.btwListener = btwListener;
            this.lr = lr;
            this.state = state;
            this.best = best;
            this.last = last;
            this.loss = new EpochLoss(state.epoch);
        }

        @Override
        public void onEpoch(Trainer trainer) {
            int epoch = btwListener.epoch();
            double monitor = btwListener.lastValidationMonitor();
            boolean improved = btwListener.bestEpoch() == epoch;
            if (improved) {
                state.best = monitor;
                state.bestEpoch = epoch;
                state.sinceBest = 0;
            } else {
                state.sinceBest++;
            }
            state.epoch = epoch;
            state.trainLoss.add(loss.mean);
            state.valMonitor.add(monitor);
            state.learningRate.add((double) lr.value());
            state.epochNanos.add(loss.nanos);
            try {
                if (improved && best != null) {
                    state.btw = btwListener.refresher().state();
                    state.plateau = lr.state();
                    Checkpoint.write(best, state, btwListener.evaluatedWeightsTable(), model, null);
                }
                lr.onEpoch(trainer);
                state.stopped = state.sinceBest >= settings.patience();
                state.btw = btwListener.refresher().state();
                state.plateau = lr.state();
                if (last != null) {
                    Checkpoint.write(last, state, btwListener.weightsTable(), model, optimiser);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
            }
            observer.onEpoch(epoch, loss.mean, monitor);
            model.setEpoch(epoch + 1);
            loss.start = System.nanoTime();
            if (state.stopped && epoch < settings.epochs()) {
                throw new EarlyStoppingListener.EarlyStoppedException(
                        epoch, "no improvement of the validation monitor for " + settings.patience() + " epochs");
            }
        }
    }

    /** Sums the epoch's training loss per instance and times the training pass; refuses a diverged model. */
    private final class EpochLoss extends TrainingListenerAdapter {

        private double total;
        private long count;
        private int epoch;
        long start = System.nanoTime();
        double mean;
        long nanos;

        EpochLoss(int epochsDone) {
            this.epoch = epochsDone;
        }

        void add(float batchLoss, long instances) {
            total += batchLoss * (double) instances;
            count += instances;
        }

        @Override
        public void onEpoch(Trainer trainer) {
            nanos = System.nanoTime() - start;
            mean = count == 0 ? Double.NaN : total / count;
            epoch++;
            total = 0;
            count = 0;
            if (!Double.isFinite(mean)) { // a diverged model's NaN predictions would read as missing modalities
                throw new BtwException("training diverged: mean training loss " + mean + " at epoch " + epoch
                        + " (seed " + seed + "); lower train.lr or check the features' scale");
            }
        }
    }

    /**
     * Predictions on the original label scale (regression) or as probabilities (classification). Public for
     * {@code dev.btw.bench.TrainBenchmark}, which times a BTW refresh with it.
     *
     * @param model the model to run
     * @param split the rows to predict
     * @param weights per-row modality weights, rows aligned with {@code split}
     * @return the predictions, rows aligned with {@code split}
     */
    public Predictions predict(FusionModel model, SplitData split, double[][] weights) {
        float[][] raw = model.predict(split, weights, PREDICT_BATCH);
        double[][] out = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            if (data.task() == Task.REGRESSION) {
                out[i] = new double[] {raw[i][0] * labelStd + labelMean};
            } else {
                out[i] = Softmax.of(raw[i]);
            }
        }
        return new Predictions(split.ids(), out);
    }
}

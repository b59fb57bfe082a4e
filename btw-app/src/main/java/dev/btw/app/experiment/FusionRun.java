package dev.btw.app.experiment;

import ai.djl.Device;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.math.Softmax;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.BtwOptions;
import dev.btw.djl.training.BtwWeightsRefresher;
import dev.btw.djl.training.InstancePolicySettings;
import dev.btw.djl.training.PlateauScheduler;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.ValidationMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * One training run of the fusion model (or of a unimodal reference: the same code on one modality) for one
 * method and seed: Adam with weight decay and gradient clipping, ReduceLROnPlateau and early stopping on the
 * validation monitor (MAE for regression, macro-F1 for classification), BTW refreshes through a
 * {@link BtwWeightsRefresher}, best and last checkpoints, and resume from the last one. A run that refreshed
 * also records its {@link InstancePolicySettings} next to the checkpoints.
 *
 * <p>All randomness after initialisation (batch order, gating noise, dropout) is drawn in Java from the seed,
 * the epoch and the step, so a resumed run repeats exactly what the uninterrupted one would have done.
 */
public final class FusionRun {

    private static final int PREDICT_BATCH = 256;

    private final FusionData data;
    private final MoeFusionSpec spec;
    private final TrainSettings settings;
    private final BtwOptions btw;
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
            BtwOptions btw,
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
     * Trains (or resumes), then predicts every split with the best checkpoint under the inference policy.
     *
     * @param resume continue from {@code last.ckpt} when it exists
     * @return the outcome
     */
    public Outcome run(boolean resume) {
        SplitData train = data.split(Split.TRAIN);
        SplitData val = data.split(Split.VAL);
        boolean higher = data.task() == Task.CLASSIFICATION;
        double[] targets = targets(train);
        try (FusionModel model = new FusionModel(spec, data.task(), device, seed).withFineTuning(data, settings)) {
            FusionAdam optimiser = new FusionAdam(
                    model.block().getParameters(), (float) settings.lr(), (float) settings.weightDecay(), (float)
                            settings.clip());
            PlateauScheduler plateau = new PlateauScheduler(settings.lrFactor(), settings.lrPatience(), higher);
            BtwWeightsRefresher listener =
                    new BtwWeightsRefresher(btw, data.task(), train, references, labelStd, weightsDir);
            RunState state = new RunState();
            Path last = checkpointDir == null ? null : checkpointDir.resolve(RunDirectory.LAST_CHECKPOINT);
            Path best = checkpointDir == null ? null : checkpointDir.resolve(RunDirectory.BEST_CHECKPOINT);
            ModalityWeights bestWeights = null;
            if (resume && best != null && Files.exists(best)) {
                Checkpoint.verify(best); // the resumed run predicts with it: refuse a damaged one before training
            }
            if (resume && last != null && Files.exists(last)) {
                Checkpoint.Restored r = Checkpoint.read(last, model, optimiser);
                state = r.state();
                plateau.restore(state.plateau);
                listener.restore(state.btw, r.weights());
            }
            Random order = new Random();
            while (!state.stopped && state.epoch < settings.epochs()) {
                int epoch = state.epoch + 1;
                long t0 = System.nanoTime();
                model.setEpoch(epoch);
                double loss = trainEpoch(model, optimiser, train, listener.trainWeights(), targets, epoch, order);
                if (!Double.isFinite(loss)) { // a diverged model's NaN predictions would read as missing modalities
                    throw new BtwException("training diverged: mean training loss " + loss + " at epoch " + epoch
                            + " (seed " + seed + "); lower train.lr or check the features' scale");
                }
                long t1 = System.nanoTime();
                ModalityWeights table = listener.weightsTable();
                double[][] valW = listener.inferenceWeights(Split.VAL, val, table, w -> predict(model, val, w));
                Predictions valPredictions = predict(model, val, valW);
                double monitor = monitor(val, valPredictions);
                boolean improved = state.bestEpoch == 0 || (higher ? monitor > state.best : monitor < state.best);
                if (improved) {
                    state.best = monitor;
                    state.bestEpoch = epoch;
                    state.sinceBest = 0;
                } else {
                    state.sinceBest++;
                }
                state.epoch = epoch;
                state.trainLoss.add(loss);
                state.valMonitor.add(monitor);
                state.learningRate.add((double) optimiser.learningRate());
                state.epochNanos.add(t1 - t0);
                if (improved && best != null) {
                    state.btw = listener.state();
                    state.plateau = plateau.state();
                    Checkpoint.write(best, state, table, model, null);
                }
                listener.onEpoch(
                        epoch, improved, () -> predict(model, train, listener.trainWeights()), () -> valPredictions);
                optimiser.setLearningRate(plateau.step(monitor, optimiser.learningRate()));
                state.stopped = state.sinceBest >= settings.patience();
                state.btw = listener.state();
                state.plateau = plateau.state();
                if (last != null) {
                    Checkpoint.write(last, state, listener.weightsTable(), model, optimiser);
                }
                observer.onEpoch(epoch, loss, monitor);
            }
            RunState finalState = state;
            if (best != null && Files.exists(best)) {
                bestWeights = Checkpoint.read(best, model, null).weights();
            } else {
                bestWeights = listener.weightsTable();
            }
            Map<Split, Predictions> out = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                SplitData d = data.split(s);
                double[][] w = listener.inferenceWeights(s, d, bestWeights, x -> predict(model, d, x));
                out.put(s, predict(model, d, w));
            }
            if (checkpointDir != null) {
                // the encoders as the best checkpoint left them, which made the predictions above
                FineTunedEncoderFolder.write(model, checkpointDir);
            }
            InstancePolicySettings instance = listener.instanceSettings();
            if (checkpointDir != null && instance != null) {
                // what the instance policy used above, for an export to compute the same weights
                instance.write(checkpointDir);
            }
            return new Outcome(
                    out, finalState, new WeightsSummary(bestWeights, listener.refreshes()), listener.refreshNanos());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
        }
    }

    private double trainEpoch(
            FusionModel model,
            FusionAdam optimiser,
            SplitData train,
            double[][] weights,
            double[] targets,
            int epoch,
            Random order) {
        int n = train.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        order.setSeed(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double total = 0;
        int steps = 0;
        for (int from = 0; from < n; from += settings.batch()) {
            int to = Math.min(n, from + settings.batch());
            int[] rows = Arrays.copyOfRange(perm, from, to);
            long noiseSeed = seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + steps;
            total += model.trainStep(train, rows, weights, targets, optimiser, noiseSeed) * rows.length;
            steps++;
        }
        return total / n;
    }

    private double[] targets(SplitData train) {
        double[] y = train.labels().clone();
        if (data.task() == Task.REGRESSION) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (y[i] - labelMean) / labelStd;
            }
        }
        return y;
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

    private double monitor(SplitData split, Predictions p) {
        return ValidationMonitor.of(data.task(), split.labels(), p);
    }
}

package dev.btw.djl.training;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.data.Split;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.EmaSmoother;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.core.weights.RefreshRecord;
import dev.btw.core.weights.RefreshResult;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightsHistory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The BTW side of a fusion run, told the outcome of every epoch: it keeps the training weights W (all ones until
 * the first refresh), refreshes them when the trigger fires (docs/METHOD.md, "One refresh", computed by btw-core's
 * {@link BtwRefresh} against the cached unimodal references), smooths them with the validation-driven EMA,
 * writes each refresh to the weights history, and gives the label-free weights for val, test and inference.
 *
 * <p>Both training paths call this one class: the CLI's own loop (the application's {@code FusionRun}) and the DJL
 * {@code TrainingListener} for a user's {@code Trainer} ({@code dev.btw.djl.training.BtwTrainingListener}).
 */
public final class BtwWeightsRefresher {

    private final BtwSettings options;
    private final Task task;
    private final SplitData train;
    private final References references;
    private final double sigmaFloor;
    private final Path weightsDir;
    private final List<String> modalities;

    private ModalityWeights weights;
    private double factor;
    private int refreshes;
    private boolean awaitingFirstEpoch;
    private boolean firstEpochImproved;
    private Map<String, Double> lastShares;
    private double fusedSigma = Double.NaN;
    private long refreshNanos;
    private WeightsHistory history = new WeightsHistory();

    /**
     * @param options the weighting settings (the config's {@code btw} section); a null rule: unit weights
     * @param task the task
     * @param train the train split
     * @param references the unimodal references (null when the options do not refresh)
     * @param labelStd the train label standard deviation (regression; scales the sigma floor)
     * @param weightsDir where refreshes are written, or null to keep them in memory only
     */
    public BtwWeightsRefresher(
            BtwSettings options, Task task, SplitData train, References references, double labelStd, Path weightsDir) {
        this.options = options;
        this.task = task;
        this.train = train;
        this.references = references;
        this.sigmaFloor = options.sigmaMin() * (labelStd > 0 ? labelStd : 1.0);
        this.weightsDir = weightsDir;
        this.modalities = train.modalities();
        this.factor = options.smoothingInitial();
    }

    /**
     * Called at the end of every epoch, after validation.
     *
     * @param epoch the epoch just trained (from 1)
     * @param improved whether it set a new best validation monitor
     * @param fusedTrain the fused model's train predictions in evaluation mode under the current weights
     *     (original label scale, or probabilities); called only when a refresh runs
     * @return whether the weights were refreshed
     */
    public boolean onEpoch(int epoch, boolean improved, Supplier<Predictions> fusedTrain) {
        return onEpoch(epoch, improved, fusedTrain, null);
    }

    /**
     * Called at the end of every epoch, after validation.
     *
     * @param epoch the epoch just trained (from 1)
     * @param improved whether it set a new best validation monitor
     * @param fusedTrain the fused model's train predictions in evaluation mode under the current weights
     *     (original label scale, or probabilities); called only when a refresh runs
     * @param fusedVal the fused model's validation predictions under the validation weights; needed (and called
     *     only when a refresh runs) under the {@code validation} reference policy, may be null otherwise
     * @return whether the weights were refreshed
     */
    public boolean onEpoch(
            int epoch, boolean improved, Supplier<Predictions> fusedTrain, Supplier<Predictions> fusedVal) {
        if (!options.refreshes()) {
            return false;
        }
        if (awaitingFirstEpoch) {
            firstEpochImproved = improved;
            awaitingFirstEpoch = false;
        }
        if (!(options.trigger() == RefreshTrigger.EVERY_EPOCH || improved)) {
            return false;
        }
        long t0 = System.nanoTime();
        if (refreshes >= 1) {
            EmaSmoother s = new EmaSmoother(factor, options.smoothingStep());
            s.observe(firstEpochImproved);
            factor = s.factor();
        }
        Map<String, Double> validationShares = validationShares(fusedVal);
        Predictions fused = fusedTrain.get();
        RefreshResult result;
        if (task == Task.REGRESSION) {
            double[] q = fused.regression();
            fusedSigma = rms(q, train.labels());
            BtwRefresh.Builder b = BtwRefresh.builder()
                    .optRule(options.rule())
                    .optSigmaPolicy(options.sigma())
                    .optSigmaFloor(sigmaFloor)
                    .optNeighbours(options.k())
                    .optSeed(options.seed())
                    .optScale(options.scale())
                    .optFixedShares(validationShares);
            if (options.sigma() == SigmaPolicy.GLOBAL) {
                b.optGlobalSigmas(new GlobalSigmas(references.sigmasForWeights(), fusedSigma));
            }
            result = b.build().regression(train.ids(), references.regressionForWeights(), q, train.labels());
        } else {
            result = BtwRefresh.builder()
                    .optRule(options.rule())
                    .optSeed(options.seed())
                    .optScale(options.scale())
                    .optFixedShares(validationShares)
                    .build()
                    .classification(train.ids(), references.classificationForWeights(), fused.values());
        }
        weights = EmaSmoother.blend(weights, result.targets(), factor);
        lastShares = result.shares();
        refreshes++;
        awaitingFirstEpoch = true;
        RefreshRecord r = history.add(epoch, factor, options.rule(), lastShares, weights);
        if (weightsDir != null) {
            WeightsHistory.write(weightsDir, r);
        }
        refreshNanos += System.nanoTime() - t0;
        return true;
    }

    /**
     * The modality shares of the {@code validation} reference policy: the rule's dependence measure (MI, or
     * Pearson correlation for the {@code cc} rules) between each reference and the fused model on the validation
     * split. No validation label is read.
     *
     * @return the shares, or null under the other policies or for a rule without a modality share
     */
    private Map<String, Double> validationShares(Supplier<Predictions> fusedVal) {
        if (references.policy() != ReferencePolicy.VALIDATION
                || !(options.rule().usesMutualInformation() || options.rule().usesCorrelation())) {
            return null;
        }
        if (fusedVal == null) {
            throw new BtwException("btw.references is validation but this training loop gives no"
                    + " validation predictions to the weights refresher");
        }
        Predictions val = fusedVal.get();
        CombinationRule shareRule = options.rule().usesCorrelation() ? CombinationRule.CC : CombinationRule.MI;
        BtwRefresh r = BtwRefresh.builder()
                .optRule(shareRule)
                .optNeighbours(options.k())
                .optSeed(options.seed())
                .build();
        RefreshResult shares = task == Task.REGRESSION
                ? r.regression(val.ids(), references.regression(Split.VAL), val.regression(), null)
                : r.classification(val.ids(), references.classification(Split.VAL), val.values());
        return shares.shares();
    }

    /** @return the training weights {@code [n][M]} in model order (ones before the first refresh) */
    public double[][] trainWeights() {
        return matrix(weights, train.size());
    }

    /** @return the training weights table, or null before the first refresh */
    public ModalityWeights weightsTable() {
        return weights;
    }

    /** @return the number of refreshes so far */
    public int refreshes() {
        return refreshes;
    }

    /** @return the refresh history */
    public WeightsHistory history() {
        return history;
    }

    /** @return total time spent in refreshes (train-set prediction included), in nanoseconds */
    public long refreshNanos() {
        return refreshNanos;
    }

    /**
     * Label-free weights for a split under the inference policy.
     *
     * @param split which split
     * @param data its data
     * @param tableW the training weights to take the prior from (the selected checkpoint's), or null for ones
     * @param predict the fused model's predictions for the split under given weights (for the instance policy)
     * @return weights {@code [n][M]} in model order
     */
    public double[][] inferenceWeights(
            Split split, SplitData data, ModalityWeights tableW, Function<double[][], Predictions> predict) {
        if (!options.refreshes() || tableW == null || options.inference() == InferencePolicy.UNIFORM) {
            return matrix(null, data.size());
        }
        Map<String, boolean[]> presence = new LinkedHashMap<>();
        for (String m : modalities) {
            presence.put(m, data.present(m));
        }
        ModalityWeights prior = LabelFreeWeights.builder(InferencePolicy.MODALITY_PRIOR)
                .setTrainingWeights(tableW)
                .build()
                .fromPresence(data.ids(), presence);
        if (options.inference() == InferencePolicy.MODALITY_PRIOR || lastShares == null) {
            return matrix(prior, data.size());
        }
        Predictions first = predict.apply(matrix(prior, data.size()));
        LabelFreeWeights instance = instanceSettings().labelFreeWeights();
        ModalityWeights w;
        if (task == Task.REGRESSION) {
            w = instance.regression(data.ids(), references.regression(split), first.regression());
        } else {
            w = instance.classification(data.ids(), references.classification(split), first.values());
        }
        return matrix(w, data.size());
    }

    /**
     * The settings the {@code instance} inference policy uses now: the rule and scale, the last refresh's shares,
     * and for regression the global sigmas and the sigma floor.
     *
     * @return the settings, or null before the first refresh (or when the options do not refresh)
     */
    public InstancePolicySettings instanceSettings() {
        if (!options.refreshes() || lastShares == null) {
            return null;
        }
        boolean regression = task == Task.REGRESSION;
        return new InstancePolicySettings(
                options.rule(),
                options.scale(),
                lastShares,
                regression ? new GlobalSigmas(references.sigmas(), fusedSigma) : null,
                regression ? sigmaFloor : Double.NaN);
    }

    private double[][] matrix(ModalityWeights w, int n) {
        double[][] out = new double[n][modalities.size()];
        for (int j = 0; j < modalities.size(); j++) {
            double[] col = w == null ? null : w.column(modalities.get(j));
            for (int i = 0; i < n; i++) {
                out[i][j] = col == null ? 1.0 : col[i];
            }
        }
        return out;
    }

    private static double rms(double[] q, double[] y) {
        double s = 0;
        for (int i = 0; i < q.length; i++) {
            s += (y[i] - q[i]) * (y[i] - q[i]);
        }
        return Math.sqrt(s / Math.max(1, q.length));
    }

    /** @return the refresher's state for a checkpoint */
    public RefresherState state() {
        RefresherState s = new RefresherState();
        s.factor = factor;
        s.refreshes = refreshes;
        s.awaitingFirstEpoch = awaitingFirstEpoch;
        s.firstEpochImproved = firstEpochImproved;
        s.lastShares = lastShares;
        s.fusedSigma = fusedSigma;
        s.refreshNanos = refreshNanos;
        return s;
    }

    /**
     * Restores a checkpointed state.
     *
     * @param s the state
     * @param w the training weights at the checkpoint (null before the first refresh)
     */
    public void restore(RefresherState s, ModalityWeights w) {
        factor = s.factor;
        refreshes = s.refreshes;
        awaitingFirstEpoch = s.awaitingFirstEpoch;
        firstEpochImproved = s.firstEpochImproved;
        lastShares = s.lastShares;
        fusedSigma = s.fusedSigma;
        refreshNanos = s.refreshNanos;
        weights = w;
        history = new WeightsHistory();
        if (weightsDir != null && refreshes > 0) {
            List<RefreshRecord> saved = WeightsHistory.readFrom(weightsDir).records();
            for (int i = 0; i < refreshes && i < saved.size(); i++) {
                RefreshRecord r = saved.get(i);
                history.add(r.epoch(), r.smoothing(), options.rule(), r.shares(), r.weights());
            }
        }
    }

    /** The refresher's checkpointed fields (JSON). */
    public static final class RefresherState {
        /** EMA factor s. */
        public double factor;
        /** Refreshes so far. */
        public int refreshes;
        /** Whether the first epoch after the last refresh is still to come. */
        public boolean awaitingFirstEpoch;
        /** Whether that epoch improved. */
        public boolean firstEpochImproved;
        /** The last refresh's modality shares. */
        public Map<String, Double> lastShares;
        /** The fused model's train RMS residual at the last refresh. */
        public double fusedSigma;
        /** Time spent refreshing. */
        public long refreshNanos;
    }
}

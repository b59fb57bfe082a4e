package dev.btw.core.weights;

import dev.btw.core.BtwException;
import dev.btw.core.divergence.CategoricalKl;
import dev.btw.core.divergence.GaussianKl;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.metrics.PearsonCorrelation;
import dev.btw.core.mi.KsgMutualInformation;
import dev.btw.core.mi.PluginMutualInformation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One BTW refresh, from plain arrays (see docs/METHOD.md, "One refresh"). Given each modality's unimodal
 * predictions (keyed by name; NaN, or a null row for classification, marks the modality missing for that
 * instance), the fused prediction and, for the residual sigma policy, the labels, it computes
 * <ol>
 *   <li>the divergence D_i^m (Gaussian KL for regression, categorical KL for classification), floored at
 *       {@value #MIN_DIVERGENCE} (NaN becomes the floor), capped at {@value #MAX_DIVERGENCE} so that sums stay
 *       finite, and normalised over the present modalities: k_i^m = D_i^m / sum D_i^m';</li>
 *   <li>the modality share mu^m over the instances where m is present: KSG mutual information with the fused
 *       prediction (regression), plug-in mutual information of the argmax labels (classification), or Pearson
 *       correlation for the {@code cc} rules (of the predictions, or of the flattened probability vectors);
 *       floored at {@value #MIN_SHARE} and normalised to sum to 1;</li>
 *   <li>the target f_i^m = rule(k_i^m, mu^m), renormalised over the present modalities (times their number for
 *       the {@code mean-one} scale), 0 for missing modalities.</li>
 * </ol>
 * With a single modality every present weight is 1. Primitive arrays only; the per-modality shares run on one
 * thread by default, or on several ({@link Builder#optThreads(int)}) with the same result to the last bit.
 * Instances are immutable and thread-safe; configure them with {@link #builder()}.
 */
public final class BtwRefresh {

    /** Floor of a divergence; a NaN divergence also becomes this. */
    public static final double MIN_DIVERGENCE = 1e-5;
    /** Cap of a divergence, so that sums over modalities stay finite. */
    public static final double MAX_DIVERGENCE = 1e12;
    /** Floor of a modality's mutual information or correlation before normalisation. */
    public static final double MIN_SHARE = 1e-5;

    private final CombinationRule rule;
    private final SigmaPolicy sigmaPolicy;
    private final double sigmaFloor;
    private final GlobalSigmas globalSigmas;
    private final int neighbours;
    private final long seed;
    private final WeightScale scale;
    private final Map<String, Double> fixedShares;
    private final int threads;

    private BtwRefresh(Builder b) {
        this.rule = b.rule;
        this.sigmaPolicy = b.sigmaPolicy;
        this.sigmaFloor = b.sigmaFloor;
        this.globalSigmas = b.globalSigmas;
        this.neighbours = b.neighbours;
        this.seed = b.seed;
        this.scale = b.scale;
        this.fixedShares = b.fixedShares;
        this.threads = b.threads;
    }

    /** @return a builder with the reference defaults: {@code kl*mi}, residual sigmas, k = 3, seed 0, sum-to-one */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the most threads the modality shares run on (1: the calling thread only) */
    public int threads() {
        return threads;
    }

    /** @return the combination rule */
    public CombinationRule rule() {
        return rule;
    }

    /** @return the sigma policy (regression) */
    public SigmaPolicy sigmaPolicy() {
        return sigmaPolicy;
    }

    /** @return the weight scale */
    public WeightScale scale() {
        return scale;
    }

    /**
     * A regression refresh.
     *
     * @param ids instance ids, one per instance, unique
     * @param unimodal p_i^m by modality name, each of length n; NaN where the modality is missing
     * @param fused q_i, length n, finite
     * @param labels y_i, length n, finite; required for the residual policy (and for the default sigma floor of
     *     the global policy when no floor was set), otherwise may be null
     * @return the refresh result
     * @throws BtwException on NaN in the fused prediction or labels, mismatched lengths, missing labels or
     *     sigmas, or too few instances for the mutual information estimate of a modality
     */
    public RefreshResult regression(List<String> ids, Map<String, double[]> unimodal, double[] fused, double[] labels) {
        int n = ids.size();
        List<String> names = names(unimodal);
        checkLength(fused.length, n, "fused prediction");
        requireFinite(fused, ids, "fused prediction");
        if (labels != null) {
            checkLength(labels.length, n, "labels");
            requireFinite(labels, ids, "label");
        }
        boolean[][] present = new boolean[names.size()][];
        for (int m = 0; m < names.size(); m++) {
            double[] p = unimodal.get(names.get(m));
            checkLength(p.length, n, "predictions of modality '" + names.get(m) + "'");
            present[m] = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (Double.isInfinite(p[i])) {
                    throw new BtwException("prediction of modality '" + names.get(m) + "' for instance '" + ids.get(i)
                            + "' is infinite");
                }
                present[m][i] = !Double.isNaN(p[i]);
            }
        }
        if (names.size() == 1) {
            return single(ids, names.get(0), present[0]);
        }
        double[][] divergence = null;
        if (rule.usesDivergence()) {
            divergence = regressionDivergences(ids, names, unimodal, present, fused, labels);
        }
        Map<String, Double> raw = new LinkedHashMap<>();
        Map<String, Double> shares =
                shares(names, raw, m -> presentValues(unimodal.get(names.get(m)), fused, present[m]), true);
        return combine(ids, names, present, divergence, shares, raw);
    }

    /**
     * A classification refresh.
     *
     * @param ids instance ids, one per instance, unique
     * @param unimodal class probabilities by modality name: {@code [n][C]}; a null row (or a row with a NaN)
     *     means the modality is missing for that instance
     * @param fused the fused class probabilities {@code [n][C]}, no NaN
     * @return the refresh result
     * @throws BtwException on NaN in the fused probabilities, a class count mismatch, or mismatched lengths
     */
    public RefreshResult classification(List<String> ids, Map<String, double[][]> unimodal, double[][] fused) {
        int n = ids.size();
        List<String> names = names(unimodal);
        checkLength(fused.length, n, "fused probabilities");
        int classes = -1;
        for (int i = 0; i < n; i++) {
            if (fused[i] == null) {
                throw new BtwException("fused probabilities of instance '" + ids.get(i) + "' are missing");
            }
            if (classes < 0) {
                classes = fused[i].length;
            }
            if (fused[i].length != classes) {
                throw new BtwException("fused probabilities of instance '" + ids.get(i) + "' have " + fused[i].length
                        + " classes, expected " + classes);
            }
            for (double v : fused[i]) {
                if (!Double.isFinite(v)) {
                    throw new BtwException("fused probability of instance '" + ids.get(i) + "' is " + v);
                }
            }
        }
        boolean[][] present = new boolean[names.size()][];
        for (int m = 0; m < names.size(); m++) {
            double[][] p = unimodal.get(names.get(m));
            checkLength(p.length, n, "probabilities of modality '" + names.get(m) + "'");
            present[m] = new boolean[n];
            for (int i = 0; i < n; i++) {
                // a null row, or a row with a NaN (of any length, e.g. {NaN}), marks the modality missing
                if (p[i] == null || Arrays.stream(p[i]).anyMatch(Double::isNaN)) {
                    continue;
                }
                if (p[i].length != classes) {
                    throw new BtwException("probabilities of modality '" + names.get(m) + "' for instance '"
                            + ids.get(i) + "' have " + p[i].length + " classes, the fused ones " + classes);
                }
                for (double v : p[i]) {
                    if (Double.isInfinite(v)) {
                        throw new BtwException("probability of modality '" + names.get(m) + "' for instance '"
                                + ids.get(i) + "' is infinite");
                    }
                }
                present[m][i] = true;
            }
        }
        if (names.size() == 1) {
            return single(ids, names.get(0), present[0]);
        }
        double[][] divergence = null;
        if (rule.usesDivergence()) {
            divergence = new double[names.size()][n];
            for (int m = 0; m < names.size(); m++) {
                double[][] p = unimodal.get(names.get(m));
                for (int i = 0; i < n; i++) {
                    if (present[m][i]) {
                        divergence[m][i] = clampDivergence(CategoricalKl.of(p[i], fused[i]));
                    }
                }
            }
        }
        Map<String, Double> raw = new LinkedHashMap<>();
        Map<String, Double> shares =
                shares(names, raw, m -> presentProbabilities(unimodal.get(names.get(m)), fused, present[m]), false);
        return combine(ids, names, present, divergence, shares, raw);
    }

    private double[][] regressionDivergences(
            List<String> ids,
            List<String> names,
            Map<String, double[]> unimodal,
            boolean[][] present,
            double[] fused,
            double[] labels) {
        int n = fused.length;
        double floor = sigmaFloor;
        if (!(floor > 0)) {
            if (labels == null && sigmaPolicy == SigmaPolicy.RESIDUAL) {
                throw new BtwException("the residual sigma policy needs labels");
            }
            floor = SigmaPolicy.defaultFloor(labels != null ? labels : fused);
        }
        GlobalSigmas sigmas = null;
        if (sigmaPolicy == SigmaPolicy.GLOBAL) {
            sigmas = globalSigmas;
            if (sigmas == null) {
                if (labels == null) {
                    throw new BtwException(
                            "the global sigma policy needs either the sigmas or labels to compute" + " them");
                }
                sigmas = GlobalSigmas.fromResiduals(unimodal, fused, labels);
            }
        }
        double[][] d = new double[names.size()][n];
        for (int m = 0; m < names.size(); m++) {
            double[] p = unimodal.get(names.get(m));
            double sp = sigmas == null ? 0 : sigmas.of(names.get(m));
            double sq = sigmas == null ? 0 : sigmas.fused();
            for (int i = 0; i < n; i++) {
                if (!present[m][i]) {
                    continue;
                }
                double kl;
                if (sigmas == null) {
                    kl = GaussianKl.of(
                            p[i], Math.abs(labels[i] - p[i]), fused[i], Math.abs(labels[i] - fused[i]), floor);
                } else {
                    kl = GaussianKl.of(p[i], sp, fused[i], sq, floor);
                }
                d[m][i] = clampDivergence(kl);
            }
        }
        return d;
    }

    /**
     * One modality's instances where it is present: unimodal and fused values (regression predictions, or
     * flattened probabilities), whether every instance is present, and for classification the argmax labels.
     */
    private record Present(
            double[] unimodal, double[] fused, boolean complete, int[] unimodalLabels, int[] fusedLabels) {}

    /** Produces the {@link Present} data of modality index m. */
    private interface PresentData {
        Present of(int m);
    }

    private Map<String, Double> shares(
            List<String> names, Map<String, Double> raw, PresentData data, boolean regression) {
        Map<String, Double> shares = new LinkedHashMap<>();
        if (fixedShares != null) {
            for (String name : names) {
                Double s = fixedShares.get(name);
                if (s == null || !(s >= 0)) {
                    throw new BtwException("no modality share for '" + name + "'; have " + fixedShares.keySet());
                }
                raw.put(name, s);
                shares.put(name, Math.max(s, MIN_SHARE));
            }
            return normalise(shares);
        }
        if (!rule.usesMutualInformation() && !rule.usesCorrelation()) {
            for (String name : names) {
                raw.put(name, Double.NaN);
                shares.put(name, 1.0);
            }
            return normalise(shares);
        }
        KsgMutualInformation ksg = new KsgMutualInformation(neighbours, seed);
        SharedTarget sharedTarget = new SharedTarget(ksg);
        int count = names.size();
        double[] values = new double[count];
        RuntimeException[] failures = new RuntimeException[count];
        RuntimeException[][] countFailures = new RuntimeException[2][count];
        KsgMutualInformation.Pending[] pending = new KsgMutualInformation.Pending[count];
        CountDownLatch[] started = new CountDownLatch[count];
        for (int m = 0; m < count; m++) {
            started[m] = new CountDownLatch(1);
        }
        // Tasks 0..count-1: each modality's data and, for KSG, its neighbour search; then two tasks per modality
        // for its two marginal count passes, so that the threads share the work evenly (five modalities on two
        // threads would otherwise split 3 : 2). Tasks are taken in index order, so a count task waits at most for
        // a neighbour search already running. Results are collected by index: they do not depend on the threads.
        ModalityTasks.run(3 * count, threads, t -> {
            if (t < count) {
                try {
                    Present p = data.of(t);
                    if (regression && !rule.usesCorrelation()) {
                        // Every instance present: the fused side is the same for all such modalities, prepared once.
                        KsgMutualInformation.Target target =
                                p.complete() ? sharedTarget.get(p.fused()) : ksg.prepareTarget(p.fused());
                        pending[t] = ksg.start(p.unimodal(), target);
                    } else {
                        values[t] = share(p);
                    }
                } catch (RuntimeException e) {
                    failures[t] = e;
                } finally {
                    started[t].countDown();
                }
                return;
            }
            int m = (t - count) / 2;
            int pass = (t - count) % 2;
            awaitUninterruptibly(started[m]);
            if (pending[m] != null) {
                try {
                    if (pass == 0) {
                        pending[m].countX();
                    } else {
                        pending[m].countY();
                    }
                } catch (RuntimeException e) {
                    countFailures[pass][m] = e;
                }
            }
        });
        for (int m = 0; m < count; m++) {
            String name = names.get(m);
            RuntimeException failure = failures[m] != null
                    ? failures[m]
                    : countFailures[0][m] != null ? countFailures[0][m] : countFailures[1][m];
            if (failure instanceof BtwException) {
                throw new BtwException("modality '" + name + "': " + failure.getMessage(), failure);
            } else if (failure != null) {
                throw failure;
            }
            double value = pending[m] != null ? pending[m].value() : values[m];
            raw.put(name, value);
            shares.put(name, Double.isNaN(value) ? MIN_SHARE : Math.max(value, MIN_SHARE));
        }
        return normalise(shares);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A modality's correlation or plug-in mutual information with the fused prediction (not KSG). */
    private double share(Present p) {
        if (rule.usesCorrelation()) {
            return p.unimodal().length < 2 ? Double.NaN : PearsonCorrelation.of(p.unimodal(), p.fused());
        }
        return p.unimodalLabels().length == 0 ? 0.0 : PluginMutualInformation.of(p.unimodalLabels(), p.fusedLabels());
    }

    /**
     * The fused side of the KSG estimate for the modalities present everywhere, prepared by the first that needs
     * it; a failure is kept and thrown to each of them, as a sequential loop would meet it in the first.
     */
    private static final class SharedTarget {
        private final KsgMutualInformation ksg;
        private KsgMutualInformation.Target target;
        private RuntimeException failure;

        SharedTarget(KsgMutualInformation ksg) {
            this.ksg = ksg;
        }

        synchronized KsgMutualInformation.Target get(double[] fused) {
            if (failure != null) {
                throw failure;
            }
            if (target == null) {
                try {
                    target = ksg.prepareTarget(fused);
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return target;
        }
    }

    private static Map<String, Double> normalise(Map<String, Double> shares) {
        double sum = 0;
        for (double v : shares.values()) {
            sum += v;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : shares.entrySet()) {
            out.put(e.getKey(), e.getValue() / sum);
        }
        return out;
    }

    /** Regression values over the present instances. */
    private static Present presentValues(double[] p, double[] q, boolean[] present) {
        int count = 0;
        for (boolean b : present) {
            if (b) {
                count++;
            }
        }
        double[] x = new double[count];
        double[] y = new double[count];
        int j = 0;
        for (int i = 0; i < p.length; i++) {
            if (present[i]) {
                x[j] = p[i];
                y[j++] = q[i];
            }
        }
        return new Present(x, y, count == p.length, null, null);
    }

    /** Classification probabilities (flattened) and argmax labels over the present instances. */
    private static Present presentProbabilities(double[][] p, double[][] q, boolean[] present) {
        int count = 0;
        for (boolean b : present) {
            if (b) {
                count++;
            }
        }
        int c = q.length == 0 ? 0 : q[0].length;
        double[] fx = new double[count * c];
        double[] fy = new double[count * c];
        int[] ax = new int[count];
        int[] ay = new int[count];
        int j = 0;
        for (int i = 0; i < p.length; i++) {
            if (present[i]) {
                System.arraycopy(p[i], 0, fx, j * c, c);
                System.arraycopy(q[i], 0, fy, j * c, c);
                ax[j] = argmax(p[i]);
                ay[j] = argmax(q[i]);
                j++;
            }
        }
        return new Present(fx, fy, count == p.length, ax, ay);
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    private RefreshResult combine(
            List<String> ids,
            List<String> names,
            boolean[][] present,
            double[][] divergence,
            Map<String, Double> shares,
            Map<String, Double> raw) {
        int n = ids.size();
        int mCount = names.size();
        double[][] k = new double[mCount][n];
        double[][] f = new double[mCount][n];
        double[] mu = new double[mCount];
        for (int m = 0; m < mCount; m++) {
            mu[m] = shares.get(names.get(m));
        }
        for (int i = 0; i < n; i++) {
            double dSum = 0;
            int presentCount = 0;
            for (int m = 0; m < mCount; m++) {
                if (present[m][i]) {
                    presentCount++;
                    if (divergence != null) {
                        dSum += divergence[m][i];
                    }
                }
            }
            if (presentCount == 0) {
                continue;
            }
            double fSum = 0;
            for (int m = 0; m < mCount; m++) {
                if (present[m][i]) {
                    k[m][i] = divergence != null ? divergence[m][i] / dSum : 1.0 / presentCount;
                    f[m][i] = rule.combine(k[m][i], mu[m]);
                    fSum += f[m][i];
                }
            }
            double factor = (scale == WeightScale.MEAN_ONE ? presentCount : 1.0) / fSum;
            for (int m = 0; m < mCount; m++) {
                if (present[m][i]) {
                    f[m][i] *= factor;
                }
            }
        }
        Map<String, double[]> kMap = new LinkedHashMap<>();
        Map<String, double[]> fMap = new LinkedHashMap<>();
        for (int m = 0; m < mCount; m++) {
            kMap.put(names.get(m), k[m]);
            fMap.put(names.get(m), f[m]);
        }
        return new RefreshResult(rule, ids, kMap, shares, raw, new ModalityWeights(ids, fMap));
    }

    private RefreshResult single(List<String> ids, String name, boolean[] present) {
        double[] w = new double[ids.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = present[i] ? 1.0 : 0.0;
        }
        return new RefreshResult(
                rule,
                ids,
                Map.of(name, w.clone()),
                Map.of(name, 1.0),
                Map.of(name, Double.NaN),
                new ModalityWeights(ids, Map.of(name, w)));
    }

    private static double clampDivergence(double d) {
        if (Double.isNaN(d) || d < MIN_DIVERGENCE) {
            return MIN_DIVERGENCE;
        }
        return Math.min(d, MAX_DIVERGENCE);
    }

    private static <T> List<String> names(Map<String, T> unimodal) {
        if (unimodal.isEmpty()) {
            throw new BtwException("no modalities given");
        }
        for (Map.Entry<String, T> e : unimodal.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new BtwException("modality " + e.getKey() + " has no predictions");
            }
        }
        return new ArrayList<>(unimodal.keySet());
    }

    private static void checkLength(int actual, int expected, String what) {
        if (actual != expected) {
            throw new BtwException(what + " has " + actual + " values for " + expected + " instance ids");
        }
    }

    private static void requireFinite(double[] v, List<String> ids, String what) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new BtwException(what + " of instance '" + ids.get(i) + "' is " + v[i]);
            }
        }
    }

    /**
     * Configures a {@link BtwRefresh}. Every setting is optional ({@code opt*}); the defaults are the
     * reference's.
     */
    public static final class Builder {
        private CombinationRule rule = CombinationRule.REFERENCE;
        private SigmaPolicy sigmaPolicy = SigmaPolicy.RESIDUAL;
        private double sigmaFloor = Double.NaN;
        private GlobalSigmas globalSigmas;
        private int neighbours = KsgMutualInformation.DEFAULT_NEIGHBOURS;
        private long seed;
        private WeightScale scale = WeightScale.SUM_TO_ONE;
        private Map<String, Double> fixedShares;
        private int threads = 1;

        private Builder() {}

        /**
         * @param rule the combination rule (default {@link CombinationRule#REFERENCE}, {@code kl*mi}; a config's
         *     default is {@link CombinationRule#CONFIG_DEFAULT})
         * @return this builder
         */
        public Builder optRule(CombinationRule rule) {
            this.rule = Objects.requireNonNull(rule);
            return this;
        }

        /**
         * @param policy the sigma policy for regression (default residual)
         * @return this builder
         */
        public Builder optSigmaPolicy(SigmaPolicy policy) {
            this.sigmaPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * @param floor sigma_min, positive (default 1e-3 times the label standard deviation, or of the fused
         *     predictions when there are no labels)
         * @return this builder
         */
        public Builder optSigmaFloor(double floor) {
            if (!(floor > 0) || Double.isInfinite(floor)) {
                throw new BtwException("sigma floor must be a positive number, got " + floor);
            }
            this.sigmaFloor = floor;
            return this;
        }

        /**
         * @param sigmas sigma_m and the fused sigma for the global policy (default: computed from the labels)
         * @return this builder
         */
        public Builder optGlobalSigmas(GlobalSigmas sigmas) {
            this.globalSigmas = sigmas;
            return this;
        }

        /**
         * @param k neighbours of the KSG estimator (default 3)
         * @return this builder
         */
        public Builder optNeighbours(int k) {
            if (k < 1) {
                throw new BtwException("KSG neighbours k must be at least 1, got " + k);
            }
            this.neighbours = k;
            return this;
        }

        /**
         * @param seed seed of the KSG tie-breaking jitter (default 0)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param scale sum-to-one (default) or mean-one
         * @return this builder
         */
        public Builder optScale(WeightScale scale) {
            this.scale = Objects.requireNonNull(scale);
            return this;
        }

        /**
         * Uses given modality shares instead of estimating them (the label-free instance policy reuses the
         * training shares). They are floored and renormalised over the modalities of each call.
         *
         * @param shares mu^m by modality name, or null to estimate (default)
         * @return this builder
         */
        public Builder optFixedShares(Map<String, Double> shares) {
            this.fixedShares = shares == null ? null : Map.copyOf(shares);
            return this;
        }

        /**
         * Estimates the modality shares (one mutual information per modality) on up to this many threads: the
         * calling thread and {@code threads - 1} short-lived helpers. Each modality's estimate is computed by one
         * thread alone and collected by index, so the result is bit-identical for every thread count.
         *
         * @param threads at least 1 (default 1: everything on the calling thread)
         * @return this builder
         */
        public Builder optThreads(int threads) {
            if (threads < 1) {
                throw new BtwException("refresh threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** @return the configured refresh */
        public BtwRefresh build() {
            return new BtwRefresh(this);
        }
    }
}

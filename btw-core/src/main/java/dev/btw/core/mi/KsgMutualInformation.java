package dev.btw.core.mi;

import dev.btw.core.BtwException;

/**
 * Mutual information (nats) between two continuous samples by the Kraskov-Stoegbauer-Grassberger estimator
 * (algorithm 1, max-norm), computed exactly as scikit-learn 1.2.1's {@code mutual_info_regression(x, y,
 * n_neighbors=k, random_state=seed)} computes it for one feature:
 * <ol>
 *   <li>each variable is divided by its (population) standard deviation, without centring; a zero deviation
 *       leaves the variable as it is;</li>
 *   <li>a jitter {@code 1e-10 * max(1, mean|v|) * N(0, 1)} is added to each, the normals drawn from numpy's
 *       legacy generator seeded with {@code seed}, first n for x, then n for y ({@link LegacyNormalGenerator});</li>
 *   <li>{@code r_i} is the max-norm distance from point i to its k-th nearest other point in the (x, y)
 *       plane; {@code n_x(i)} and {@code n_y(i)} count the other points strictly closer than {@code r_i} in
 *       that coordinate alone (scikit-learn counts {@code <= nextafter(r_i, 0)}, which is the same);</li>
 *   <li>{@code MI = psi(n) + psi(k) - mean(psi(n_x + 1)) - mean(psi(n_y + 1))}, a negative value becomes 0.</li>
 * </ol>
 * Neighbour search is sort-based, O(n log n) time and O(n) memory. The estimate is deterministic for a seed.
 * When several samples are compared with the same y (one per modality, against the fused prediction), prepare
 * y once with {@link #prepareTarget(double[])}.
 */
public final class KsgMutualInformation {

    /** The default number of neighbours, as in the reference and scikit-learn. */
    public static final int DEFAULT_NEIGHBOURS = 3;

    /**
     * Neighbour-search work per instance (points scanned plus strip entries) allowed before it switches axes;
     * typical spread-out data take about 20.
     */
    private static final long STRIP_BUDGET = 64;

    private final int neighbours;
    private final long seed;
    private final long stripBudget;

    /** An estimator with k = 3 and seed 0. */
    public KsgMutualInformation() {
        this(DEFAULT_NEIGHBOURS, 0);
    }

    /**
     * @param neighbours k, at least 1
     * @param seed the jitter seed, used as an unsigned 32-bit integer as numpy does
     */
    public KsgMutualInformation(int neighbours, long seed) {
        this(neighbours, seed, STRIP_BUDGET);
    }

    /** For tests: {@code stripBudget} 0 makes the neighbour search always take the swapped-axes path. */
    KsgMutualInformation(int neighbours, long seed, long stripBudget) {
        if (neighbours < 1) {
            throw new BtwException("KSG neighbours k must be at least 1, got " + neighbours);
        }
        this.neighbours = neighbours;
        this.seed = seed;
        this.stripBudget = stripBudget;
    }

    /** @return k */
    public int neighbours() {
        return neighbours;
    }

    /** @return the jitter seed */
    public long seed() {
        return seed;
    }

    /**
     * @param x the first sample (scikit-learn's feature)
     * @param y the second sample (scikit-learn's target), the same length
     * @return the estimate in nats, never negative
     * @throws BtwException on a NaN or infinite value, different lengths, or fewer than k + 1 instances
     */
    public double estimate(double[] x, double[] y) {
        return estimate(x, prepareTarget(y));
    }

    /**
     * Scales and jitters y and sorts it, once for several {@link #estimate(double[], Target)} calls.
     *
     * @param y the target sample
     * @return the prepared target
     * @throws BtwException on a NaN or infinite value or fewer than k + 1 instances
     */
    public Target prepareTarget(double[] y) {
        int n = y.length;
        if (n < neighbours + 1) {
            throw new BtwException(
                    "KSG mutual information needs at least k + 1 = " + (neighbours + 1) + " instances, got " + n);
        }
        requireFinite(y, "y");
        LegacyNormalGenerator normals = new LegacyNormalGenerator(seed);
        double[] xNoise = normals.nextGaussians(n);
        double[] yNoise = normals.nextGaussians(n);
        double[] values = scaleAndJitter(y, yNoise, false);
        int[] order = ArgSort.of(values);
        double[] sorted = new double[n];
        for (int r = 0; r < n; r++) {
            sorted[r] = values[order[r]];
        }
        return new Target(values, order, sorted, new MarginalCounts(sorted), xNoise);
    }

    /**
     * @param x the first sample, as long as the prepared target
     * @param target y, prepared by this estimator
     * @return the estimate in nats, never negative
     * @throws BtwException on a NaN or infinite value or a length mismatch
     */
    public double estimate(double[] x, Target target) {
        Pending p = start(x, target);
        p.countX();
        p.countY();
        return p.value();
    }

    /**
     * The first part of {@link #estimate(double[], Target)}: scaling, sorting and the k-th neighbour distances.
     * The two marginal count passes of the result are independent of each other and may run on other threads
     * (each on one thread); {@link Pending#value()} then gives the same value as {@code estimate}, to the bit.
     *
     * @param x the first sample, as long as the prepared target
     * @param target y, prepared by this estimator
     * @return the estimate awaiting its marginal counts
     * @throws BtwException on a NaN or infinite value or a length mismatch
     */
    public Pending start(double[] x, Target target) {
        int n = target.values.length;
        if (x.length != n) {
            throw new BtwException("KSG mutual information: x has " + x.length + " values but y has " + n);
        }
        requireFinite(x, "x");
        double[] xv = scaleAndJitter(x, target.xNoise, true);
        int[] xOrder = ArgSort.of(xv);
        double[] xs = new double[n];
        double[] ys = new double[n];
        int[] xRank = new int[n];
        for (int r = 0; r < n; r++) {
            int i = xOrder[r];
            xs[r] = xv[i];
            ys[r] = target.values[i];
            xRank[i] = r;
        }
        int[] yOrderByXRank = new int[n];
        for (int r = 0; r < n; r++) {
            yOrderByXRank[r] = xRank[target.order[r]];
        }
        double[] kth = kthDistances(xs, ys, yOrderByXRank, xOrder, xv, target);
        return new Pending(n, xs, kth, yOrderByXRank, target);
    }

    /** An estimate with its k-th neighbour distances, awaiting the two marginal counts. */
    public final class Pending {
        private final int n;
        private final double[] xs;
        private final double[] kth;
        private final int[] yOrderByXRank;
        private final Target target;
        private int[] histX;
        private int[] histY;
        private int maxX;
        private int maxY;

        private Pending(int n, double[] xs, double[] kth, int[] yOrderByXRank, Target target) {
            this.n = n;
            this.xs = xs;
            this.kth = kth;
            this.yOrderByXRank = yOrderByXRank;
            this.target = target;
        }

        /** Counts n_x for every point, walking x order so that the searches move forwards in memory. */
        public void countX() {
            int[] hist = new int[n];
            int max = 0;
            MarginalCounts xCounts = new MarginalCounts(xs);
            for (int r = 0; r < n; r++) {
                int nx = xCounts.within(r, radius(kth[r]));
                hist[nx]++;
                max = Math.max(max, nx);
            }
            maxX = max;
            histX = hist;
        }

        /** Counts n_y for every point, walking y order. */
        public void countY() {
            int[] hist = new int[n];
            int max = 0;
            double[] radiusByYRank = new double[n];
            for (int r = 0; r < n; r++) {
                radiusByYRank[r] = radius(kth[yOrderByXRank[r]]);
            }
            for (int r = 0; r < n; r++) {
                int ny = target.counts.within(r, radiusByYRank[r]);
                hist[ny]++;
                max = Math.max(max, ny);
            }
            maxY = max;
            histY = hist;
        }

        /**
         * @return the estimate in nats, never negative
         * @throws IllegalStateException when a count pass has not run
         */
        public double value() {
            if (histX == null || histY == null) {
                throw new IllegalStateException("KSG estimate: countX and countY must run before value");
            }
            int maxCount = Math.max(maxX, maxY);
            double[] psi = Digamma.sharedIntegerTable(maxCount);
            double sumX = 0;
            double sumY = 0;
            for (int c = 0; c <= maxCount; c++) {
                sumX += histX[c] * psi[c + 1];
                sumY += histY[c] * psi[c + 1];
            }
            double mi = Digamma.of(n) + Digamma.of(neighbours) - sumX / n - sumY / n;
            return Math.max(0.0, mi);
        }
    }

    /**
     * The k-th neighbour distances by strips along x, indexed by x rank; when y is made of tight clusters (the
     * strip search goes over budget), by strips along y instead. The distances are the same either way.
     */
    private double[] kthDistances(
            double[] xs, double[] ys, int[] yOrderByXRank, int[] xOrder, double[] xv, Target target) {
        int n = xs.length;
        double[] kth = ChebyshevNeighbours.kthDistances(xs, ys, yOrderByXRank, neighbours, stripBudget * n - 1);
        if (kth != null) {
            return kth;
        }
        int[] yRank = new int[n];
        double[] xsByYRank = new double[n];
        for (int r = 0; r < n; r++) {
            yRank[target.order[r]] = r;
            xsByYRank[r] = xv[target.order[r]];
        }
        int[] xOrderByYRank = new int[n];
        for (int r = 0; r < n; r++) {
            xOrderByYRank[r] = yRank[xOrder[r]];
        }
        double[] byYRank = ChebyshevNeighbours.kthDistances(target.sorted, xsByYRank, xOrderByYRank, neighbours);
        kth = new double[n];
        for (int r = 0; r < n; r++) {
            kth[r] = byYRank[yRank[xOrder[r]]];
        }
        return kth;
    }

    /** scikit-learn's radius nextafter(r, 0): counting {@code <=} it counts the points strictly closer than r. */
    private static double radius(double kth) {
        return kth > 0 ? Math.nextDown(kth) : 0.0;
    }

    /** Divides by the population standard deviation (not centring), then adds scikit-learn's jitter. */
    private static double[] scaleAndJitter(double[] v, double[] noise, boolean asFeature) {
        int n = v.length;
        double sum = 0;
        for (double a : v) {
            sum += a;
        }
        double mean = sum / n;
        double ss = 0;
        for (double a : v) {
            double d = a - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / n);
        // scikit-learn's _handle_zeros_in_scale: a feature column (array) is "constant" below 10 eps, the 1-D
        // target (a numpy scalar) only at exactly 0.
        if (asFeature ? std < 10 * Math.ulp(1.0) : std == 0.0) {
            std = 1.0;
        }
        double[] out = new double[n];
        double absSum = 0;
        for (int i = 0; i < n; i++) {
            out[i] = v[i] / std;
            absSum += Math.abs(out[i]);
        }
        double amplitude = 1e-10 * Math.max(1.0, absSum / n);
        for (int i = 0; i < n; i++) {
            out[i] += amplitude * noise[i];
        }
        return out;
    }

    private static void requireFinite(double[] v, String name) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new BtwException(
                        "KSG mutual information: " + name + "[" + i + "] is " + v[i] + "; every value must be finite");
            }
        }
    }

    /** The target sample y, scaled, jittered and sorted, with the jitter that x will receive. */
    public static final class Target {
        private final double[] values;
        private final int[] order;
        private final double[] sorted;
        private final double[] xNoise;

        private final MarginalCounts counts;

        private Target(double[] values, int[] order, double[] sorted, MarginalCounts counts, double[] xNoise) {
            this.counts = counts;
            this.values = values;
            this.order = order;
            this.sorted = sorted;
            this.xNoise = xNoise;
        }

        /** @return the number of instances */
        public int size() {
            return values.length;
        }
    }
}

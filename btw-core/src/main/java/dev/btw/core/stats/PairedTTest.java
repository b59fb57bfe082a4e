package dev.btw.core.stats;

/**
 * The paired t-test of two methods run with the same seeds: the differences d_i = a_i - b_i, t = mean(d) /
 * (sd(d) / sqrt(n)) with the sample standard deviation, n - 1 degrees of freedom, two-sided p-value (as
 * {@code scipy.stats.ttest_rel}).
 *
 * @param n the number of pairs
 * @param meanDifference mean of a - b
 * @param t the statistic ({@code NaN} when fewer than 2 pairs; infinite when every difference is equal and
 *     non-zero)
 * @param p the two-sided p-value ({@code NaN} when undefined: fewer than 2 pairs, or all differences 0)
 */
public record PairedTTest(int n, double meanDifference, double t, double p) {

    /**
     * @param a one value per seed for the first method
     * @param b the same seeds' values for the second
     * @return the test
     */
    public static PairedTTest of(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired t-test: " + a.length + " values against " + b.length);
        }
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i] - b[i];
        }
        mean /= Math.max(1, n);
        if (n < 2) {
            return new PairedTTest(n, n == 1 ? mean : Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double e = a[i] - b[i] - mean;
            ss += e * e;
        }
        double sd = Math.sqrt(ss / (n - 1));
        if (sd == 0) {
            if (mean == 0) {
                return new PairedTTest(n, 0.0, Double.NaN, Double.NaN);
            }
            return new PairedTTest(n, mean, Math.copySign(Double.POSITIVE_INFINITY, mean), 0.0);
        }
        double t = mean / (sd / Math.sqrt(n));
        return new PairedTTest(n, mean, t, StudentT.twoSided(t, n - 1));
    }
}

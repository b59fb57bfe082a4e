package dev.btw.core.stats;

/**
 * The exact two-sided sign test of paired values: ties are dropped, and the p-value is
 * min(1, 2 P(X &lt;= min(wins, losses))) for X ~ Binomial(wins + losses, 1/2) (as
 * {@code scipy.stats.binomtest(..., alternative='two-sided')} for p = 1/2).
 *
 * @param wins pairs where the first value is larger
 * @param losses pairs where it is smaller
 * @param ties equal pairs
 * @param p the two-sided p-value (1 when there is no untied pair)
 */
public record SignTest(int wins, int losses, int ties, double p) {

    /**
     * @param a one value per seed for the first method
     * @param b the same seeds' values for the second
     * @return the test
     */
    public static SignTest of(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("sign test: " + a.length + " values against " + b.length);
        }
        int w = 0;
        int l = 0;
        int t = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                w++;
            } else if (a[i] < b[i]) {
                l++;
            } else {
                t++;
            }
        }
        int n = w + l;
        if (n == 0) {
            return new SignTest(w, l, t, 1.0);
        }
        int k = Math.min(w, l);
        double tail = 0;
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return new SignTest(w, l, t, Math.min(1.0, 2 * tail));
    }

    private static double logChoose(int n, int k) {
        return StudentT.logGamma(n + 1.0) - StudentT.logGamma(k + 1.0) - StudentT.logGamma(n - k + 1.0);
    }
}

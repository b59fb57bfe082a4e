package dev.btw.bench.suite;

import dev.btw.core.stats.PairedTTest;
import dev.btw.core.stats.SignTest;

/**
 * A paired comparison over seeds of one method against a baseline on one metric, oriented so that a positive
 * {@link #improvement()} means the method did better (lower error, higher score).
 *
 * @param n pairs (seeds)
 * @param improvement the mean improvement of the method over the baseline
 * @param t the paired t-test (method minus baseline, raw metric)
 * @param sign the sign test, wins counted when the method did better
 */
public record Comparison(int n, double improvement, PairedTTest t, SignTest sign) {

    /** The significance level used on the results page. */
    public static final double ALPHA = 0.05;

    /**
     * @param method one value per seed
     * @param baseline the same seeds' baseline values
     * @param lowerIsBetter whether the metric is an error
     * @return the comparison
     */
    public static Comparison of(double[] method, double[] baseline, boolean lowerIsBetter) {
        PairedTTest t = PairedTTest.of(method, baseline);
        double[] a = method;
        double[] b = baseline;
        if (lowerIsBetter) {
            a = negate(method);
            b = negate(baseline);
        }
        SignTest s = SignTest.of(a, b);
        double imp = lowerIsBetter ? -t.meanDifference() : t.meanDifference();
        return new Comparison(t.n(), imp, t, s);
    }

    /** @return whether the t-test rejects equality at {@link #ALPHA} */
    public boolean significant() {
        return !Double.isNaN(t.p()) && t.p() < ALPHA;
    }

    /** @return "better", "worse" (significant) or "n.s." */
    public String verdict() {
        if (!significant()) {
            return "n.s.";
        }
        return improvement() > 0 ? "**better**" : "**worse**";
    }

    private static double[] negate(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = -v[i];
        }
        return o;
    }
}

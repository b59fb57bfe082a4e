package dev.btw.core.stats;

import dev.btw.core.metrics.PearsonCorrelation;
import java.util.Arrays;

/**
 * Spearman's rank correlation coefficient, as {@code scipy.stats.spearmanr} computes it: Pearson's correlation of
 * the two series' ranks, tied values sharing their average rank.
 *
 * <p>Undefined cases give {@code NaN}, as in scipy and {@link PearsonCorrelation}: fewer than two values, or a
 * series whose values are all equal.
 */
public final class SpearmanCorrelation {

    private SpearmanCorrelation() {}

    /**
     * The rank correlation of two series; symmetric in its arguments.
     *
     * @param x first series, finite, non-empty
     * @param y second series, same length, finite
     * @return rho in [-1, 1], or {@code NaN} when undefined
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static double of(double[] x, double[] y) {
        return PearsonCorrelation.of(ranks(x), ranks(y));
    }

    /**
     * Ranks starting at 1, ties given the mean of the ranks they span ({@code scipy.stats.rankdata}'s
     * {@code average} method).
     *
     * @param v values
     * @return their ranks, in the order of {@code v}
     */
    public static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && Double.compare(v[order[j + 1]], v[order[i]]) == 0) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }
}

package dev.btw.core.mi;

import dev.btw.core.BtwException;
import java.util.Arrays;

/**
 * Plug-in (empirical) mutual information, in nats, between two discrete label samples: the mutual information
 * of their contingency table, equal to scikit-learn's {@code mutual_info_score(a, b)}.
 */
public final class PluginMutualInformation {

    private PluginMutualInformation() {}

    /**
     * @param a the first labels
     * @param b the second labels, the same length
     * @return the mutual information in nats, 0 when either side has a single label
     * @throws BtwException when the lengths differ or the samples are empty
     */
    public static double of(int[] a, int[] b) {
        int n = a.length;
        if (b.length != n) {
            throw new BtwException("plug-in mutual information: " + n + " labels against " + b.length);
        }
        if (n == 0) {
            throw new BtwException("plug-in mutual information: no instances");
        }
        int[] codesA = codes(a);
        int[] codesB = codes(b);
        int ka = max(codesA) + 1;
        int kb = max(codesB) + 1;
        if (ka == 1 || kb == 1) {
            return 0.0;
        }
        long[] table = new long[ka * kb];
        long[] rows = new long[ka];
        long[] cols = new long[kb];
        for (int i = 0; i < n; i++) {
            table[codesA[i] * kb + codesB[i]]++;
            rows[codesA[i]]++;
            cols[codesB[i]]++;
        }
        double logN = Math.log(n);
        double eps = Math.ulp(1.0);
        double mi = 0;
        for (int i = 0; i < ka; i++) {
            for (int j = 0; j < kb; j++) {
                long nij = table[i * kb + j];
                if (nij == 0) {
                    continue;
                }
                double p = (double) nij / n;
                double logOuter = -Math.log((double) (rows[i] * cols[j])) + logN + logN;
                double term = p * (Math.log(nij) - logN) + p * logOuter;
                if (Math.abs(term) >= eps) {
                    mi += term;
                }
            }
        }
        return Math.max(0.0, mi);
    }

    /** Replaces labels by their rank among the distinct labels, 0..K-1. */
    private static int[] codes(int[] labels) {
        int[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = Arrays.binarySearch(distinct, labels[i]);
        }
        return out;
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}

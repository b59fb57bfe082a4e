package dev.btw.core.mi;

import java.util.Arrays;

/** The digamma function psi(x) = d/dx ln Gamma(x), to about 1e-15 relative accuracy. */
public final class Digamma {

    private static final double EULER = 0.57721566490153286061;

    /** psi(j) at index j, shared and only ever replaced by a longer copy (entries are never changed). */
    private static volatile double[] shared = integerTable(1023);

    private Digamma() {}

    /**
     * @param x the argument; poles at 0, -1, -2, ... give NaN
     * @return psi(x)
     */
    public static double of(double x) {
        if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
            return Double.NaN;
        }
        if (x <= 0) {
            if (x == Math.floor(x)) {
                return Double.NaN;
            }
            // Reflection: psi(1 - x) - psi(x) = pi cot(pi x).
            return of(1 - x) - Math.PI / Math.tan(Math.PI * x);
        }
        if (x == 1) {
            return -EULER;
        }
        double result = 0;
        // Recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is accurate.
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        // Asymptotic series (Abramowitz and Stegun 6.3.18):
        // psi(x) ~ ln x - 1/(2x) - sum_{n>=1} B_{2n} / (2n x^{2n})
        //        = ln x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6) + 1/(240x^8) - 1/(132x^10) + ...
        double inv2 = 1 / (x * x);
        double series = inv2
                * (1.0 / 12
                        - inv2
                                * (1.0 / 120
                                        - inv2
                                                * (1.0 / 252
                                                        - inv2
                                                                * (1.0 / 240
                                                                        - inv2
                                                                                * (1.0 / 132
                                                                                        - inv2
                                                                                                * (691.0 / 32760
                                                                                                        - inv2
                                                                                                                / 12))))));
        return result + Math.log(x) - 0.5 / x - series;
    }

    /**
     * psi(1), psi(2), ..., psi(n + 1) as a table indexed by the integer argument (entry 0 is unused).
     *
     * @param n the largest argument minus one
     * @return {@code t} with {@code t[j] = psi(j)} for j = 1..n+1
     */
    static double[] integerTable(int n) {
        return extend(new double[] {Double.NaN}, n);
    }

    /**
     * Like {@link #integerTable(int)} but shared between calls and possibly longer: the KSG estimate needs psi at
     * up to about sqrt(n) integers per call, and computing them each time cost a few percent of it.
     *
     * @param n the largest argument minus one
     * @return a table with {@code t[j] = psi(j)} for at least j = 1..n+1; callers must not modify it
     */
    static double[] sharedIntegerTable(int n) {
        double[] t = shared;
        if (t.length >= n + 2) {
            return t;
        }
        synchronized (Digamma.class) {
            t = shared;
            if (t.length < n + 2) {
                t = extend(t, Math.max(n, 2 * t.length));
                shared = t;
            }
            return t;
        }
    }

    /** A copy of {@code t} (t[j] = psi(j) for j &lt; t.length) extended to j = n + 1, each entry by {@link #of}. */
    private static double[] extend(double[] table, int n) {
        double[] t = Arrays.copyOf(table, n + 2);
        t[0] = Double.NaN;
        for (int j = Math.max(1, table.length); j < t.length; j++) {
            t[j] = of(j);
        }
        return t;
    }
}

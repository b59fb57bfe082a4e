package dev.btw.core.stats;

/**
 * Student's t distribution: the cumulative distribution function through the regularised incomplete beta
 * function, I_x(a, b) evaluated by its continued fraction (modified Lentz), accurate to about 1e-12.
 */
public final class StudentT {

    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    private StudentT() {}

    /**
     * @param t the value
     * @param df degrees of freedom, positive
     * @return P(T &lt;= t)
     */
    public static double cdf(double t, double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("degrees of freedom must be positive, got " + df);
        }
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1.0 : 0.0;
        }
        double x = df / (df + t * t);
        double tail = 0.5 * regularizedBeta(x, df / 2.0, 0.5);
        return t > 0 ? 1.0 - tail : tail;
    }

    /**
     * @param t the value
     * @param df degrees of freedom
     * @return the two-sided p-value P(|T| >= |t|)
     */
    public static double twoSided(double t, double df) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        double x = df / (df + t * t);
        return Math.min(1.0, regularizedBeta(x, df / 2.0, 0.5));
    }

    /**
     * The regularised incomplete beta function I_x(a, b).
     *
     * @param x in [0, 1]
     * @param a positive
     * @param b positive
     * @return I_x(a, b)
     */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0.0;
        }
        if (x >= 1) {
            return 1.0;
        }
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        double front = Math.exp(lnFront);
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1.0 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1.0;
        double d = 1.0 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1.0 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1.0 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1.0 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1.0 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1.0) < EPS) {
                return h;
            }
        }
        return h;
    }

    /**
     * ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15).
     *
     * @param x positive
     * @return ln Gamma(x)
     */
    public static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        double z = x - 1;
        double s = g[0];
        for (int i = 1; i < g.length; i++) {
            s += g[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
    }
}

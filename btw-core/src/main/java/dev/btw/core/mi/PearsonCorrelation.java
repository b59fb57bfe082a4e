package dev.btw.core.mi;

import dev.btw.core.BtwException;

/** The Pearson product-moment correlation of two samples, by two passes (centre, then sum products). */
public final class PearsonCorrelation {

    private PearsonCorrelation() {}

    /**
     * @param x the first sample
     * @param y the second sample, the same length
     * @return the correlation in [-1, 1], or NaN when either sample is constant
     * @throws BtwException on a NaN or infinite value, different lengths, or fewer than 2 instances
     */
    public static double of(double[] x, double[] y) {
        int n = x.length;
        if (y.length != n) {
            throw new BtwException("Pearson correlation: " + n + " values against " + y.length);
        }
        if (n < 2) {
            throw new BtwException("Pearson correlation needs at least 2 instances, got " + n);
        }
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new BtwException("Pearson correlation: value " + i + " is not finite (" + x[i] + ", "
                        + y[i] + ")");
            }
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
        return Math.max(-1.0, Math.min(1.0, r));
    }
}

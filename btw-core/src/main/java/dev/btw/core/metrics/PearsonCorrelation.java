package dev.btw.core.metrics;

/**
 * Pearson's product-moment correlation coefficient, as {@code scipy.stats.pearsonr} and {@code numpy.corrcoef}
 * compute it.
 *
 * <p>Undefined cases give {@code NaN}, as in numpy and scipy: fewer than two values, or a constant series (for
 * example a model that predicts the same value for every instance). {@code NaN} rather than 0 because "no linear
 * relation measurable" is not "no linear relation", and so that an averaged report shows the problem instead of
 * hiding it.
 */
public final class PearsonCorrelation {

    private PearsonCorrelation() {}

    /**
     * The correlation of two series; symmetric in its arguments.
     *
     * @param x first series, finite, non-empty
     * @param y second series, same length, finite
     * @return r in [-1, 1], or {@code NaN} when fewer than two values are given or either series is constant
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static double of(double[] x, double[] y) {
        Inputs.requirePair("Pearson correlation", "x", x, "y", y);
        if (x.length < 2 || Means.isConstant(x) || Means.isConstant(y)) {
            return Double.NaN;
        }
        double mx = Means.mean(x);
        double my = Means.mean(y);
        double sxx = 0.0;
        double syy = 0.0;
        double sxy = 0.0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
        return Math.max(-1.0, Math.min(1.0, r));
    }
}

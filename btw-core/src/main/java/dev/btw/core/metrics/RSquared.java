package dev.btw.core.metrics;

/**
 * The coefficient of determination R&sup2; = 1 - SS_res / SS_tot, as scikit-learn's {@code r2_score} (1.2.1,
 * default {@code force_finite=True}) computes it. It can be negative, down to minus infinity in principle.
 *
 * <p>Conventions for the degenerate cases, both scikit-learn's: with fewer than two values the result is
 * {@code NaN}; when the labels are constant (SS_tot = 0) it is 1.0 for perfect predictions and 0.0 otherwise.
 */
public final class RSquared {

    private RSquared() {}

    /**
     * R&sup2; of predictions against labels; not symmetric.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return R&sup2;, at most 1; {@code NaN} for a single value
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static double of(double[] yTrue, double[] yPred) {
        Inputs.requirePair("R2", "y_true", yTrue, "y_pred", yPred);
        if (yTrue.length < 2) {
            return Double.NaN;
        }
        double residual = ErrorMetrics.sumSquaredError(yTrue, yPred);
        if (Means.isConstant(yTrue)) {
            return residual == 0.0 ? 1.0 : 0.0;
        }
        double mean = Means.mean(yTrue);
        double total = 0.0;
        for (double v : yTrue) {
            double d = v - mean;
            total += d * d;
        }
        return 1.0 - residual / total;
    }
}

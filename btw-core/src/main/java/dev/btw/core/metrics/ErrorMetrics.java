package dev.btw.core.metrics;

/** Mean absolute error and root mean squared error between labels and predictions. */
public final class ErrorMetrics {

    private ErrorMetrics() {}

    /**
     * Mean absolute error, mean of |yTrue - yPred| (scikit-learn's {@code mean_absolute_error}).
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return the MAE, at least 0
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static double mae(double[] yTrue, double[] yPred) {
        Inputs.requirePair("MAE", "y_true", yTrue, "y_pred", yPred);
        double sum = 0.0;
        for (int i = 0; i < yTrue.length; i++) {
            sum += Math.abs(yTrue[i] - yPred[i]);
        }
        return sum / yTrue.length;
    }

    /**
     * Root mean squared error, the square root of the mean of (yTrue - yPred)^2.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return the RMSE, at least 0
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static double rmse(double[] yTrue, double[] yPred) {
        Inputs.requirePair("RMSE", "y_true", yTrue, "y_pred", yPred);
        return Math.sqrt(sumSquaredError(yTrue, yPred) / yTrue.length);
    }

    static double sumSquaredError(double[] yTrue, double[] yPred) {
        double sum = 0.0;
        for (int i = 0; i < yTrue.length; i++) {
            double d = yTrue[i] - yPred[i];
            sum += d * d;
        }
        return sum;
    }
}

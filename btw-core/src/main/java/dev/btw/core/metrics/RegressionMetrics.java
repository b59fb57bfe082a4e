package dev.btw.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All regression metrics at once, keyed by the names of {@link MetricNames}.
 *
 * <pre>{@code
 * Map<String, Double> m = RegressionMetrics.compute(labels, predictions);
 * double mae = m.get(MetricNames.MAE);
 * }</pre>
 */
public final class RegressionMetrics {

    private RegressionMetrics() {}

    /**
     * MAE, RMSE, Pearson correlation and R&sup2;.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return an unmodifiable map, in the order {@code mae, rmse, corr, r2}; {@code corr} is {@code NaN} when
     *     either series is constant or there is a single value (see {@link PearsonCorrelation}), {@code r2}
     *     follows {@link RSquared}
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static Map<String, Double> compute(double[] yTrue, double[] yPred) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricNames.MAE, ErrorMetrics.mae(yTrue, yPred));
        out.put(MetricNames.RMSE, ErrorMetrics.rmse(yTrue, yPred));
        out.put(MetricNames.CORR, PearsonCorrelation.of(yPred, yTrue));
        out.put(MetricNames.R2, RSquared.of(yTrue, yPred));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The sentiment report: the four regression metrics followed by the MMSA set of {@link SentimentMetrics}.
     *
     * @param yTrue labels on the [-3, 3] sentiment scale (not required to lie in it), finite, non-empty
     * @param yPred predictions, same length, finite
     * @return an unmodifiable map in the order {@code mae, rmse, corr, r2, acc7, acc5, acc2_has0, f1_has0,
     *     acc2_non0, f1_non0}
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static Map<String, Double> computeSentiment(double[] yTrue, double[] yPred) {
        Map<String, Double> out = new LinkedHashMap<>(compute(yTrue, yPred));
        out.putAll(SentimentMetrics.compute(yTrue, yPred));
        return Collections.unmodifiableMap(out);
    }
}

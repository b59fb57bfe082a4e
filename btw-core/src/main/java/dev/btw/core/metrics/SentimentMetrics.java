package dev.btw.core.metrics;

import dev.btw.core.BtwException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sentiment metrics of the MMSA toolkit ({@code metricsTop.py}, {@code __eval_mosei_regression}, used for
 * CMU-MOSI and CMU-MOSEI), for labels on the [-3, 3] scale.
 *
 * <ul>
 *   <li>{@code acc7}: clip labels and predictions to [-3, 3], round both to the nearest integer, count equal
 *       pairs. Rounding is numpy's {@code np.round}: half to even, so 2.5 rounds to 2 and -0.5 to 0.</li>
 *   <li>{@code acc5}: the same with clipping to [-2, 2].</li>
 *   <li>{@code acc2_has0}, {@code f1_has0}: every instance; class "non-negative" when the value is &ge; 0, else
 *       "negative", for labels and predictions alike; accuracy and weighted F1 (see {@link F1Score}).</li>
 *   <li>{@code acc2_non0}, {@code f1_non0}: only instances whose <em>label</em> is not 0 (the prediction may be
 *       anything); class "positive" when the value is &gt; 0, else "negative"; accuracy and weighted F1. If every
 *       label is 0 both are {@code NaN}.</li>
 * </ul>
 *
 * <p>Departures from MMSA, all deliberate: values are computed in double precision (MMSA receives float32
 * tensors) and are not rounded to four decimals. MAE and correlation, which MMSA reports alongside, come from
 * {@link RegressionMetrics}; MMSA computes them on the unclipped values, as does this library.
 */
public final class SentimentMetrics {

    private SentimentMetrics() {}

    /**
     * The six MMSA sentiment metrics.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return an unmodifiable map in the order {@code acc7, acc5, acc2_has0, f1_has0, acc2_non0, f1_non0}
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static Map<String, Double> compute(double[] yTrue, double[] yPred) {
        Inputs.requirePair("sentiment metrics", "y_true", yTrue, "y_pred", yPred);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricNames.ACC7, roundedAccuracy(yTrue, yPred, 3.0));
        out.put(MetricNames.ACC5, roundedAccuracy(yTrue, yPred, 2.0));
        ConfusionMatrix has0 = has0(yTrue, yPred);
        out.put(MetricNames.ACC2_HAS0, has0.accuracy());
        out.put(MetricNames.F1_HAS0, F1Score.weighted(has0));
        Optional<ConfusionMatrix> non0 = non0(yTrue, yPred);
        out.put(MetricNames.ACC2_NON0, non0.map(ConfusionMatrix::accuracy).orElse(Double.NaN));
        out.put(MetricNames.F1_NON0, non0.map(F1Score::weighted).orElse(Double.NaN));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Multiclass sentiment accuracy: both sides clipped to [-bound, bound], rounded half to even, compared.
     * {@code bound = 3} gives Acc-7, {@code bound = 2} gives Acc-5.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @param bound the clipping bound, positive
     * @return the fraction of instances whose rounded, clipped prediction equals the rounded, clipped label
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a bound that is not positive
     */
    public static double roundedAccuracy(double[] yTrue, double[] yPred, double bound) {
        Inputs.requirePair("sentiment accuracy", "y_true", yTrue, "y_pred", yPred);
        Inputs.requireFinite("sentiment accuracy", "bound", bound);
        if (bound <= 0) {
            throw new BtwException("sentiment accuracy: bound must be positive, got " + bound);
        }
        int equal = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (roundClipped(yTrue[i], bound) == roundClipped(yPred[i], bound)) {
                equal++;
            }
        }
        return (double) equal / yTrue.length;
    }

    /**
     * The has-0 binary split: class 1 ("non-negative") when a value is &ge; 0, class 0 otherwise.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return the 2 x 2 confusion matrix of the split
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static ConfusionMatrix has0(double[] yTrue, double[] yPred) {
        Inputs.requirePair("sentiment has-0", "y_true", yTrue, "y_pred", yPred);
        int[] t = new int[yTrue.length];
        int[] p = new int[yTrue.length];
        for (int i = 0; i < yTrue.length; i++) {
            t[i] = yTrue[i] >= 0 ? 1 : 0;
            p[i] = yPred[i] >= 0 ? 1 : 0;
        }
        return ConfusionMatrix.of(t, p, 2);
    }

    /**
     * The non-0 binary split over the instances whose label is not 0: class 1 ("positive") when a value is
     * &gt; 0, class 0 otherwise.
     *
     * @param yTrue labels, finite, non-empty
     * @param yPred predictions, same length, finite
     * @return the 2 x 2 confusion matrix of the split; empty when every label is 0
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input
     */
    public static Optional<ConfusionMatrix> non0(double[] yTrue, double[] yPred) {
        Inputs.requirePair("sentiment non-0", "y_true", yTrue, "y_pred", yPred);
        int kept = 0;
        for (double v : yTrue) {
            if (v != 0.0) {
                kept++;
            }
        }
        if (kept == 0) {
            return Optional.empty();
        }
        int[] t = new int[kept];
        int[] p = new int[kept];
        int j = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] != 0.0) {
                t[j] = yTrue[i] > 0 ? 1 : 0;
                p[j] = yPred[i] > 0 ? 1 : 0;
                j++;
            }
        }
        return Optional.of(ConfusionMatrix.of(t, p, 2));
    }

    private static double roundClipped(double v, double bound) {
        return Math.rint(Math.max(-bound, Math.min(bound, v)));
    }
}

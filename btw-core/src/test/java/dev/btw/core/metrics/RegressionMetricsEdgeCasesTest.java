package dev.btw.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-checked regression and sentiment cases, and the documented conventions for undefined values. */
class RegressionMetricsEdgeCasesTest {

    @Test
    void perfectPrediction() {
        double[] y = {-2.0, -0.5, 0.0, 1.0, 3.0};
        Map<String, Double> m = RegressionMetrics.computeSentiment(y, y.clone());
        assertEquals(0.0, m.get(MetricNames.MAE));
        assertEquals(0.0, m.get(MetricNames.RMSE));
        assertEquals(1.0, m.get(MetricNames.CORR), 1e-15);
        assertEquals(1.0, m.get(MetricNames.R2));
        for (String name : MetricNames.SENTIMENT) {
            assertEquals(1.0, m.get(name), name);
        }
    }

    @Test
    void constantPredictionHasUndefinedCorrelationAsNaN() {
        double[] t = {1.0, 2.0, 3.0, 4.0};
        double[] p = {2.5, 2.5, 2.5, 2.5};
        Map<String, Double> m = RegressionMetrics.compute(t, p);
        assertTrue(Double.isNaN(m.get(MetricNames.CORR)), "corr of a constant prediction is NaN, as in numpy");
        assertEquals(0.0, m.get(MetricNames.R2), 1e-15); // predicting the mean explains nothing
        assertEquals(1.0, m.get(MetricNames.MAE), 1e-15);
        assertEquals(Math.sqrt(1.25), m.get(MetricNames.RMSE), 1e-15);
    }

    @Test
    void constantLabelsFollowScikitLearnForR2() {
        double[] t = {0.1, 0.1, 0.1};
        assertEquals(1.0, RSquared.of(t, new double[] {0.1, 0.1, 0.1}));
        assertEquals(0.0, RSquared.of(t, new double[] {0.1, 0.2, 0.1}));
        assertTrue(Double.isNaN(PearsonCorrelation.of(t, new double[] {0.1, 0.2, 0.3})));
    }

    @Test
    void singleValueGivesNaNForCorrelationAndR2() {
        Map<String, Double> m = RegressionMetrics.compute(new double[] {1.0}, new double[] {1.5});
        assertEquals(0.5, m.get(MetricNames.MAE));
        assertEquals(0.5, m.get(MetricNames.RMSE));
        assertTrue(Double.isNaN(m.get(MetricNames.CORR)));
        assertTrue(Double.isNaN(m.get(MetricNames.R2)));
    }

    @Test
    void pearsonByHandAndNegativeZeroCountsAsConstant() {
        assertEquals(-1.0, PearsonCorrelation.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
        // x = 1, 2, 3 and y = 1, 3, 2: deviations (-1, 0, 1) and (-1, 1, 0), so r = 1 / (sqrt 2 sqrt 2) = 0.5
        assertEquals(0.5, PearsonCorrelation.of(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-15);
        assertTrue(Double.isNaN(PearsonCorrelation.of(new double[] {0.0, -0.0}, new double[] {1, 2})));
    }

    @Test
    void largeOffsetDoesNotLosePrecision() {
        double[] x = {1e9 + 1, 1e9 + 2, 1e9 + 3};
        double[] y = {1e9 + 1, 1e9 + 3, 1e9 + 2};
        assertEquals(0.5, PearsonCorrelation.of(x, y), 1e-12);
        assertEquals(0.0, RSquared.of(x, y), 1e-12); // SS_res = 2 = SS_tot
    }

    @Test
    void roundingIsHalfToEvenAsNumpy() {
        // np.round: 2.5 -> 2, 1.5 -> 2, 0.5 -> 0, -0.5 -> -0 (== 0), -2.5 -> -2
        double[] t = {2.5, 1.5, 0.5, -0.5, -2.5};
        double[] p = {2.0, 2.0, 0.0, 0.4, -2.0};
        assertEquals(1.0, SentimentMetrics.roundedAccuracy(t, p, 3));
        // Half-up rounding would have said 3 != 2 for the first pair.
        assertEquals(0.0, SentimentMetrics.roundedAccuracy(new double[] {2.5}, new double[] {3.0}, 3));
    }

    @Test
    void clippingBeforeRounding() {
        // 4.7 clips to 3 for Acc-7 (so it equals a label of 3) and to 2 for Acc-5 (equal to a label of 2.2)
        assertEquals(1.0, SentimentMetrics.roundedAccuracy(new double[] {3.0}, new double[] {4.7}, 3));
        assertEquals(1.0, SentimentMetrics.roundedAccuracy(new double[] {2.2}, new double[] {4.7}, 2));
        assertEquals(0.0, SentimentMetrics.roundedAccuracy(new double[] {2.2}, new double[] {4.7}, 3));
    }

    @Test
    void has0AndNon0ByHand() {
        double[] t = {-1.0, 0.0, 1.0, 2.0};
        double[] p = {-0.5, -0.1, 0.0, 1.5};
        Map<String, Double> m = SentimentMetrics.compute(t, p);
        // has-0: truth >= 0 -> [0, 1, 1, 1], prediction >= 0 -> [0, 0, 1, 1] (a prediction of 0 is non-negative)
        assertEquals(0.75, m.get(MetricNames.ACC2_HAS0), 1e-15);
        assertEquals((1 * (2.0 / 3) + 3 * 0.8) / 4, m.get(MetricNames.F1_HAS0), 1e-15);
        // non-0: label 0 dropped; truth > 0 -> [0, 1, 1], prediction > 0 -> [0, 0, 1] (0 is now negative)
        assertEquals(2.0 / 3, m.get(MetricNames.ACC2_NON0), 1e-15);
        assertEquals(2.0 / 3, m.get(MetricNames.F1_NON0), 1e-15);
        assertEquals(MetricNames.SENTIMENT, List.copyOf(m.keySet()));
    }

    @Test
    void negativeZeroLabelIsZero() {
        double[] t = {-0.0, 1.0};
        double[] p = {-1.0, 1.0};
        // -0.0 >= 0 in has-0 (non-negative), and it is dropped from non-0 like 0.0
        assertEquals(0.5, SentimentMetrics.compute(t, p).get(MetricNames.ACC2_HAS0));
        assertEquals(1, SentimentMetrics.non0(t, p).orElseThrow().total());
    }

    @Test
    void allLabelsZeroLeavesNon0Undefined() {
        double[] t = {0.0, 0.0, 0.0};
        double[] p = {0.3, -0.2, 0.0};
        assertEquals(Optional.empty(), SentimentMetrics.non0(t, p));
        Map<String, Double> m = SentimentMetrics.compute(t, p);
        assertTrue(Double.isNaN(m.get(MetricNames.ACC2_NON0)));
        assertTrue(Double.isNaN(m.get(MetricNames.F1_NON0)));
        assertEquals(2.0 / 3, m.get(MetricNames.ACC2_HAS0), 1e-15);
    }

    @Test
    void singlePredictedClassGivesZeroF1ForTheOther() {
        // every prediction non-negative; negatives' F1 is 0 (zero_division = 0)
        double[] t = {-1.0, 1.0, 2.0, 3.0};
        double[] p = {0.5, 0.5, 0.5, 0.5};
        Map<String, Double> m = SentimentMetrics.compute(t, p);
        assertEquals(0.75, m.get(MetricNames.ACC2_HAS0));
        assertEquals(3 * (2.0 * 3 / (2.0 * 3 + 1)) / 4, m.get(MetricNames.F1_HAS0), 1e-15);
    }

    @Test
    void badInputIsABtwExceptionWithAClearMessage() {
        BtwException e = assertThrows(
                BtwException.class, () -> RegressionMetrics.compute(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("y_true has 3 values but y_pred has 2"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> RegressionMetrics.compute(new double[] {1, 2, 3}, new double[] {1, 2, Double.NaN}));
        assertTrue(e.getMessage().contains("y_pred[2] is NaN"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> RegressionMetrics.computeSentiment(new double[] {Double.NaN}, new double[] {1}));
        assertTrue(e.getMessage().contains("y_true[0] is NaN"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> PearsonCorrelation.of(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("infinite"), e.getMessage());
        e = assertThrows(BtwException.class, () -> RegressionMetrics.compute(new double[0], new double[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(BtwException.class, () -> SentimentMetrics.compute(new double[0], new double[0]));
        assertThrows(BtwException.class, () -> ErrorMetrics.mae(null, new double[] {1}));
        assertThrows(BtwException.class, () -> RSquared.of(new double[] {1}, null));
        assertThrows(BtwException.class, () -> SentimentMetrics.roundedAccuracy(new double[] {1}, new double[] {1}, 0));
    }

    @Test
    void returnedMapsAreUnmodifiable() {
        Map<String, Double> m = RegressionMetrics.compute(new double[] {1, 2}, new double[] {1, 3});
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1.0));
    }

    @Test
    void metricDirection() {
        assertEquals(false, MetricNames.higherIsBetter(MetricNames.MAE));
        assertEquals(false, MetricNames.higherIsBetter(MetricNames.RMSE));
        assertEquals(true, MetricNames.higherIsBetter(MetricNames.CORR));
        assertEquals(true, MetricNames.higherIsBetter(MetricNames.F1_NON0));
        assertEquals(true, MetricNames.higherIsBetter(MetricNames.AUROC));
        BtwException e = assertThrows(BtwException.class, () -> MetricNames.higherIsBetter("mse"));
        assertTrue(e.getMessage().contains("'mse'"), e.getMessage());
    }
}

package dev.btw.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-checked classification cases: ties, undefined AUROC, absent classes, bad input. */
class ClassificationMetricsEdgeCasesTest {

    @Test
    void aurocCountsTiesAsOneHalf() {
        // pairs (pos, neg): 0.5>0.1, 0.5=0.5 (1/2), 0.9>0.1, 0.9>0.5 -> 3.5 of 4
        assertEquals(0.875, Auroc.binary(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.5, 0.5, 0.9}), 1e-15);
        assertEquals(0.5, Auroc.binary(new int[] {0, 1, 0, 1}, new double[] {0.3, 0.3, 0.3, 0.3}), 1e-15);
        assertEquals(1.0, Auroc.binary(new int[] {0, 0, 1}, new double[] {-0.0, 0.0, 2.0}), 1e-15);
        assertEquals(0.5, Auroc.binary(new int[] {0, 1}, new double[] {-0.0, 0.0}), 1e-15);
        assertEquals(0.0, Auroc.binary(new boolean[] {true, false}, new double[] {0.2, 0.8}), 1e-15);
    }

    @Test
    void averageRanks() {
        assertArrayEquals(new double[] {2.5, 1, 2.5, 4}, Auroc.averageRanks(new double[] {5, 1, 5, 9}));
    }

    @Test
    void singleClassAurocIsAClearError() {
        BtwException e =
                assertThrows(BtwException.class, () -> Auroc.binary(new int[] {1, 1, 1}, new double[] {0.2, 0.5, 0.9}));
        assertTrue(e.getMessage().contains("undefined") && e.getMessage().contains("only positive"), e.getMessage());
        double[][] p = {{0.8, 0.2}, {0.4, 0.6}};
        e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(new int[] {0, 0}, p));
        assertTrue(e.getMessage().contains("undefined"), e.getMessage());
        assertFalse(Auroc.isDefined(new int[] {0, 0}, 2));
        Map<String, Double> m = ClassificationMetrics.compute(new int[] {0, 0}, p, true);
        assertTrue(Double.isNaN(m.get(MetricNames.AUROC)));
        assertEquals(0.5, m.get(MetricNames.ACCURACY));
    }

    @Test
    void multiclassAurocNeedsEveryClass() {
        int[] t = {0, 1, 0, 1};
        double[][] p = {{0.7, 0.2, 0.1}, {0.2, 0.7, 0.1}, {0.5, 0.1, 0.4}, {0.4, 0.5, 0.1}};
        BtwException e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(t, p));
        assertTrue(e.getMessage().contains("class 2 never occurs"), e.getMessage());
        Map<String, Double> m = ClassificationMetrics.compute(t, p, true);
        assertTrue(Double.isNaN(m.get(MetricNames.AUROC)));
        // class 2 is neither true nor predicted: it is left out of the macro average (scikit-learn's labels)
        assertEquals(1.0, m.get(MetricNames.F1_MACRO));
        assertEquals(1.0, m.get(MetricNames.ACCURACY));
        assertEquals(3, ClassificationMetrics.confusionMatrix(t, p).numClasses());
    }

    @Test
    void multiclassAurocIsTheMeanOfOneVsRest() {
        int[] t = {0, 1, 2, 2};
        double[][] p = {{0.6, 0.3, 0.1}, {0.3, 0.4, 0.3}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}};
        double a0 = Auroc.binary(new int[] {1, 0, 0, 0}, new double[] {0.6, 0.3, 0.2, 0.1});
        double a1 = Auroc.binary(new int[] {0, 1, 0, 0}, new double[] {0.3, 0.4, 0.5, 0.1});
        double a2 = Auroc.binary(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.3, 0.3, 0.8});
        assertEquals(1.0, a0);
        assertEquals(2.0 / 3, a1, 1e-15);
        assertEquals(0.875, a2, 1e-15);
        assertEquals((a0 + a1 + a2) / 3, Auroc.of(t, p), 1e-15);
    }

    @Test
    void classNeverPredictedScoresZeroF1() {
        int[] t = {0, 0, 1, 1, 2};
        double[][] p = {{0.9, 0.05, 0.05}, {0.8, 0.1, 0.1}, {0.2, 0.7, 0.1}, {0.6, 0.3, 0.1}, {0.5, 0.4, 0.1}};
        ConfusionMatrix cm = ClassificationMetrics.confusionMatrix(t, p);
        assertArrayEquals(new int[][] {{2, 0, 0}, {1, 1, 0}, {1, 0, 0}}, cm.toArray());
        assertEquals(0.0, F1Score.ofClass(cm, 2));
        double f0 = 2.0 * 2 / (2 * 2 + 2 + 0);
        double f1 = 2.0 * 1 / (2 * 1 + 0 + 1);
        assertEquals((f0 + f1 + 0.0) / 3, F1Score.macro(cm), 1e-15);
        assertEquals((2 * f0 + 2 * f1) / 5, F1Score.weighted(cm), 1e-15);
        assertEquals(0.6, cm.accuracy(), 1e-15);
        assertEquals(2, cm.support(0));
        assertEquals(4, cm.predicted(0));
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        assertArrayEquals(new int[] {0, 1, 2}, ClassificationMetrics.argmax(new double[][] {
            {0.5, 0.5, 0.0}, {0.1, 0.45, 0.45}, {0, 0, 1}
        }));
    }

    @Test
    void perfectClassifier() {
        Map<String, Double> m =
                ClassificationMetrics.compute(new int[] {0, 1, 2}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        for (String name : MetricNames.CLASSIFICATION) {
            // the scores are 1, the calibration errors (Brier, ECE) 0
            assertEquals(MetricNames.higherIsBetter(name) ? 1.0 : 0.0, m.get(name), name);
        }
    }

    @Test
    void badInputIsABtwExceptionWithAClearMessage() {
        double[][] p = {{0.8, 0.2}, {0.4, 0.6}};
        BtwException e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(new int[] {0}, p));
        assertTrue(e.getMessage().contains("y_true has 1 values but probabilities has 2"), e.getMessage());
        e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(new int[] {0, 2}, p));
        assertTrue(e.getMessage().contains("y_true[1] = 2"), e.getMessage());
        e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(new int[] {0, -1}, p));
        assertTrue(e.getMessage().contains("y_true[1] = -1"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> ClassificationMetrics.compute(new int[] {0, 1}, new double[][] {{0.8, 0.2}, {Double.NaN, 0.6}}));
        assertTrue(e.getMessage().contains("probabilities[1][0] is NaN"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> ClassificationMetrics.compute(new int[] {0, 1}, new double[][] {{0.8, 0.2}, {0.6}}));
        assertTrue(e.getMessage().contains("probabilities[1] has 1 columns"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> ClassificationMetrics.compute(new int[] {0, 0}, new double[][] {{1.0}, {1.0}}));
        assertTrue(e.getMessage().contains("at least 2 classes"), e.getMessage());
        e = assertThrows(BtwException.class, () -> ClassificationMetrics.compute(new int[0], new double[0][]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(BtwException.class, () -> ClassificationMetrics.compute(null, p));
        assertThrows(BtwException.class, () -> Auroc.binary(new boolean[0], new double[0]));
        assertThrows(BtwException.class, () -> Auroc.binary(new int[] {0, 1}, new double[] {0.1}));
        assertThrows(BtwException.class, () -> Auroc.binary(new int[] {0, 1}, new double[] {0.1, Double.NaN}));
        assertThrows(BtwException.class, () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, 2));
        assertThrows(BtwException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {0}, 0));
    }

    @Test
    void confusionMatrixIsImmutable() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1}, new int[] {1, 1}, 2);
        cm.toArray()[0][0] = 99;
        assertEquals(0, cm.count(0, 0));
        assertEquals(ConfusionMatrix.of(new int[] {0, 1}, new int[] {1, 1}, 2), cm);
        assertEquals("[[0, 1], [0, 1]]", cm.toString());
    }
}

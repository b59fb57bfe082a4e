package dev.btw.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Brier score and the ECE on cases checked by hand (and with numpy: the Brier score as
 * {@code ((p - eye(C)[y])**2).sum(1).mean()}, the ECE with {@code linspace(0, 1, 11)} bins {@code (lo, hi]}).
 */
class CalibrationTest {

    private static double[][] rows(int count, double... row) {
        double[][] out = new double[count][];
        Arrays.fill(out, row);
        return out;
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void perfectlyCalibratedProbabilitiesHaveZeroEce() {
        // ten instances at 0.8 for class 0 of which 8 are class 0, five at 0.6 for class 1 of which 3 are class 1:
        // each bin's accuracy equals its confidence. 0.8 and 0.6 lie on bin edges and belong to (0.7, 0.8] and
        // (0.5, 0.6].
        double[][] p = concat(rows(10, 0.8, 0.1, 0.1), rows(5, 0.1, 0.6, 0.3));
        int[] y = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2};
        assertEquals(0.0, Calibration.ece(y, p), 1e-12);
        // Brier by instance: class 0 at 0.8: 0.04 + 0.01 + 0.01 = 0.06; class 1 at 0.8: 0.64 + 0.81 + 0.01 = 1.46;
        // class 1 at 0.6: 0.01 + 0.16 + 0.09 = 0.26; class 2 at 0.6: 0.01 + 0.36 + 0.49 = 0.86;
        // (8 * 0.06 + 2 * 1.46 + 3 * 0.26 + 2 * 0.86) / 15 = 5.9 / 15
        assertEquals(5.9 / 15, Calibration.brier(y, p), 1e-12);
        ReliabilityTable t = Calibration.reliability(y, p);
        assertEquals(10, t.bins().size());
        assertEquals(15, t.total());
        ReliabilityTable.Bin b7 = t.bins().get(7);
        assertEquals(0.7, b7.lower(), 1e-15);
        assertEquals(0.8, b7.upper(), 1e-15);
        assertEquals(10, b7.count());
        assertEquals(0.8, b7.meanConfidence(), 1e-12);
        assertEquals(0.8, b7.accuracy(), 1e-12);
        assertEquals(5, t.bins().get(5).count());
        assertEquals(0, t.bins().get(8).count());
        assertTrue(Double.isNaN(t.bins().get(8).accuracy()));
    }

    @Test
    void overConfidentProbabilitiesHaveALargeEce() {
        // four instances at 0.95 for class 0, half of them right (gap -0.45); two at 0.65 for class 1, both right
        // (gap +0.35): ECE = 4/6 * 0.45 + 2/6 * 0.35 = 0.41667
        double[][] p = concat(rows(4, 0.95, 0.05), rows(2, 0.35, 0.65));
        int[] y = {0, 1, 0, 1, 1, 1};
        assertEquals(4.0 / 6 * 0.45 + 2.0 / 6 * 0.35, Calibration.ece(y, p), 1e-12);
        // Brier: 2 * 0.005 + 2 * 1.805 + 2 * 0.245 = 4.11 over 6 = 0.685, twice scikit-learn's binary
        // brier_score_loss(y, p[:, 1]) = 0.3425, which scores one column only
        assertEquals(0.685, Calibration.brier(y, p), 1e-12);
        ReliabilityTable t = Calibration.reliability(y, p);
        assertEquals(-0.45, t.bins().get(9).gap(), 1e-12);
        assertEquals(0.35, t.bins().get(6).gap(), 1e-12);
        assertEquals(t.ece(), Calibration.ece(y, p), 0.0);
        List<String> md = t.markdown();
        assertEquals(12, md.size());
        assertEquals("| (0.90, 1.00] | 4 | 0.950 | 0.500 | -0.450 |", md.get(11));
        assertEquals("| (0.00, 0.10] | 0 | - | - | - |", md.get(2));
    }

    @Test
    void certainAndRightIsPerfectCertainAndWrongIsTheWorst() {
        int[] y = {0, 1};
        assertEquals(0.0, Calibration.brier(y, new double[][] {{1, 0}, {0, 1}}), 0.0);
        assertEquals(0.0, Calibration.ece(y, new double[][] {{1, 0}, {0, 1}}), 0.0);
        assertEquals(2.0, Calibration.brier(y, new double[][] {{0, 1}, {1, 0}}), 0.0);
        assertEquals(1.0, Calibration.ece(y, new double[][] {{0, 1}, {1, 0}}), 0.0);
    }

    @Test
    void classificationMetricsCarryBothCalibrationErrors() {
        double[][] p = concat(rows(4, 0.95, 0.05), rows(2, 0.35, 0.65));
        int[] y = {0, 1, 0, 1, 1, 1};
        Map<String, Double> m = ClassificationMetrics.compute(y, p);
        assertEquals(MetricNames.CLASSIFICATION, List.copyOf(m.keySet()));
        assertEquals(0.685, m.get(MetricNames.BRIER), 1e-12);
        assertEquals(4.0 / 6 * 0.45 + 2.0 / 6 * 0.35, m.get(MetricNames.ECE), 1e-12);
        // with an undefined AUROC tolerated, the calibration errors are still there
        Map<String, Double> one =
                ClassificationMetrics.compute(new int[] {0, 0}, new double[][] {{0.9, 0.1}, {0.9, 0.1}}, true);
        assertEquals(0.02, one.get(MetricNames.BRIER), 1e-12);
        assertEquals(0.1, one.get(MetricNames.ECE), 1e-12);
        assertEquals(false, MetricNames.higherIsBetter(MetricNames.BRIER));
        assertEquals(false, MetricNames.higherIsBetter(MetricNames.ECE));
    }

    @Test
    void badInputIsABtwExceptionWithAClearMessage() {
        double[][] p = {{0.8, 0.2}, {0.4, 0.6}};
        BtwException e = assertThrows(BtwException.class, () -> Calibration.brier(new int[] {0}, p));
        assertEquals("Brier score: y_true has 1 values but probabilities has 2", e.getMessage());
        e = assertThrows(BtwException.class, () -> Calibration.ece(new int[] {0, 1, 1}, p));
        assertEquals("ECE: y_true has 3 values but probabilities has 2", e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> Calibration.brier(new int[] {0, 1}, new double[][] {{0.8, 0.2}, {Double.NaN, 0.6}}));
        assertEquals("Brier score: probabilities[1][0] is NaN", e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> Calibration.reliability(new int[] {0, 1}, new double[][] {{0.8, Double.NaN}, {0.4, 0.6}}));
        assertEquals("ECE: probabilities[0][1] is NaN", e.getMessage());
        e = assertThrows(BtwException.class, () -> Calibration.ece(new int[] {0, 2}, p));
        assertTrue(e.getMessage().contains("y_true[1] = 2 is not a class index in [0, 2)"), e.getMessage());
        e = assertThrows(BtwException.class, () -> Calibration.brier(new int[0], new double[0][]));
        assertTrue(e.getMessage().startsWith("Brier score: probabilities is empty"), e.getMessage());
        assertThrows(BtwException.class, () -> Calibration.ece(null, p));
    }
}

package dev.btw.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of class probabilities: the multi-class Brier score and the expected calibration error (ECE) with
 * its {@link ReliabilityTable}. Both are errors: lower is better, 0 is perfect.
 *
 * <p>The Brier score is the mean over instances of the sum over classes of {@code (p_c - 1[y = c])^2}, in [0, 2]
 * (for two classes it is twice scikit-learn's binary {@code brier_score_loss}, which scores the positive column
 * only). The ECE bins the instances by the probability of their predicted class (the argmax, the first maximum
 * winning a tie, as {@link ClassificationMetrics#argmax}) into {@link #BINS} equal-width bins over [0, 1], each
 * {@code (lower, upper]}, and sums over bins {@code |bin| / n * |accuracy - mean confidence|} (Guo et al., 2017).
 *
 * <p>Both assume rows that are probabilities; a top-class value below 0 or above 1 would be counted in the first or
 * last bin. Inputs are checked as by the other metrics: empty, ragged, mismatched or non-finite input, or a label
 * out of range, is a {@link dev.btw.core.BtwException} naming the array.
 */
public final class Calibration {

    /** The number of equal-width confidence bins of the ECE. */
    public static final int BINS = 10;

    private Calibration() {}

    /**
     * The multi-class Brier score.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities, finite, C &ge; 2
     * @return the mean over instances of the squared distance to the one-hot label, in [0, 2] for probabilities
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a label out of range
     */
    public static double brier(int[] yTrue, double[][] probabilities) {
        check("Brier score", yTrue, probabilities);
        double sum = 0.0;
        for (int i = 0; i < yTrue.length; i++) {
            double[] row = probabilities[i];
            for (int c = 0; c < row.length; c++) {
                double d = row[c] - (c == yTrue[i] ? 1.0 : 0.0);
                sum += d * d;
            }
        }
        return sum / yTrue.length;
    }

    /**
     * The expected calibration error over {@link #BINS} equal-width bins of the top-class probability.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities, finite, C &ge; 2
     * @return the ECE in [0, 1]
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a label out of range
     */
    public static double ece(int[] yTrue, double[][] probabilities) {
        return reliability(yTrue, probabilities).ece();
    }

    /**
     * The reliability table behind the ECE: {@link #BINS} equal-width bins of the top-class probability.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities, finite, C &ge; 2
     * @return the table, empty bins included
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a label out of range
     */
    public static ReliabilityTable reliability(int[] yTrue, double[][] probabilities) {
        check("ECE", yTrue, probabilities);
        int[] predicted = ClassificationMetrics.argmax(probabilities);
        double[] edges = new double[BINS + 1];
        for (int b = 0; b <= BINS; b++) {
            edges[b] = b / (double) BINS;
        }
        int[] count = new int[BINS];
        double[] confidence = new double[BINS];
        int[] correct = new int[BINS];
        for (int i = 0; i < yTrue.length; i++) {
            double p = probabilities[i][predicted[i]];
            int b = 0;
            while (b < BINS - 1 && p > edges[b + 1]) {
                b++;
            }
            count[b]++;
            confidence[b] += p;
            if (predicted[i] == yTrue[i]) {
                correct[b]++;
            }
        }
        List<ReliabilityTable.Bin> bins = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            bins.add(new ReliabilityTable.Bin(
                    edges[b],
                    edges[b + 1],
                    count[b],
                    count[b] == 0 ? Double.NaN : confidence[b] / count[b],
                    count[b] == 0 ? Double.NaN : (double) correct[b] / count[b]));
        }
        return new ReliabilityTable(bins, yTrue.length);
    }

    private static void check(String metric, int[] yTrue, double[][] probabilities) {
        int classes = Inputs.requireScores(metric, "probabilities", probabilities);
        Inputs.requireLabels(metric, "y_true", yTrue, classes);
        Inputs.requireSameLength(metric, "y_true", yTrue.length, "probabilities", probabilities.length);
    }
}

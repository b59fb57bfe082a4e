package dev.btw.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All classification metrics at once, from true class indices and per-class probabilities.
 *
 * <p>The predicted class is the argmax of each row, the first maximum winning a tie ({@code numpy.argmax}).
 * Accuracy and the F1 scores are scikit-learn's on those predictions ({@link F1Score}); AUROC uses the
 * probabilities themselves ({@link Auroc}), and so do the calibration errors, the Brier score and the ECE
 * ({@link Calibration}).
 *
 * <pre>{@code
 * Map<String, Double> m = ClassificationMetrics.compute(labels, probabilities);
 * double auroc = m.get(MetricNames.AUROC);
 * }</pre>
 */
public final class ClassificationMetrics {

    private ClassificationMetrics() {}

    /**
     * Accuracy, macro-F1, weighted-F1, AUROC, the Brier score and the ECE.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities (or scores), finite, C &ge; 2
     * @return an unmodifiable map in the order {@code accuracy, f1_macro, f1_weighted, auroc, brier,
     *     ece}
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input, a label out of range, or when
     *     AUROC is undefined because some class never occurs in {@code yTrue} (check {@link Auroc#isDefined}
     *     first, or use {@link #compute(int[], double[][], boolean)})
     */
    public static Map<String, Double> compute(int[] yTrue, double[][] probabilities) {
        return compute(yTrue, probabilities, false);
    }

    /**
     * As {@link #compute(int[], double[][])}, optionally tolerating an undefined AUROC.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities (or scores), finite, C &ge; 2
     * @param nanWhenAurocUndefined when {@code true}, a class missing from {@code yTrue} gives {@code auroc = NaN}
     *     instead of an error (useful for a small validation split)
     * @return an unmodifiable map in the order {@code accuracy, f1_macro, f1_weighted, auroc, brier,
     *     ece}
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a label out of range
     */
    public static Map<String, Double> compute(int[] yTrue, double[][] probabilities, boolean nanWhenAurocUndefined) {
        ConfusionMatrix m = confusionMatrix(yTrue, probabilities);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricNames.ACCURACY, m.accuracy());
        out.put(MetricNames.F1_MACRO, F1Score.macro(m));
        out.put(MetricNames.F1_WEIGHTED, F1Score.weighted(m));
        boolean skip = nanWhenAurocUndefined && !Auroc.isDefined(yTrue, m.numClasses());
        out.put(MetricNames.AUROC, skip ? Double.NaN : Auroc.of(yTrue, probabilities));
        out.put(MetricNames.BRIER, Calibration.brier(yTrue, probabilities));
        out.put(MetricNames.ECE, Calibration.ece(yTrue, probabilities));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The confusion matrix of the argmax predictions over all C classes.
     *
     * @param yTrue class indices in [0, C), non-empty
     * @param probabilities n x C class probabilities (or scores), finite, C &ge; 2
     * @return the C x C matrix, rows true and columns predicted
     * @throws dev.btw.core.BtwException on empty, mismatched or non-finite input or a label out of range
     */
    public static ConfusionMatrix confusionMatrix(int[] yTrue, double[][] probabilities) {
        int classes = Inputs.requireScores("classification metrics", "probabilities", probabilities);
        Inputs.requireLabels("classification metrics", "y_true", yTrue, classes);
        Inputs.requireSameLength(
                "classification metrics", "y_true", yTrue.length, "probabilities", probabilities.length);
        return ConfusionMatrix.of(yTrue, argmax(probabilities), classes);
    }

    /**
     * The predicted class of each row: the index of its largest value, the first one on a tie.
     *
     * @param probabilities n x C finite values, C &ge; 2
     * @return n class indices
     * @throws dev.btw.core.BtwException on empty, ragged or non-finite input
     */
    public static int[] argmax(double[][] probabilities) {
        Inputs.requireScores("argmax", "probabilities", probabilities);
        int[] out = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            double[] row = probabilities[i];
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}

package dev.btw.core.metrics;

import dev.btw.core.BtwException;
import java.util.Arrays;

/**
 * Area under the ROC curve, equal to scikit-learn's {@code roc_auc_score}.
 *
 * <p>Computed as the Mann-Whitney statistic with average ranks: the probability that a random positive instance
 * scores above a random negative one, ties counting one half. This is exactly the trapezoidal area under the ROC
 * curve that scikit-learn integrates, tied scores included.
 *
 * <p>AUROC needs both classes among the true labels; otherwise it is undefined and these methods throw a
 * {@link BtwException}, as scikit-learn raises an error. {@link #isDefined} tells beforehand.
 */
public final class Auroc {

    private Auroc() {}

    /**
     * Binary AUROC.
     *
     * @param positive whether each instance truly belongs to the positive class; non-empty, both values present
     * @param scores the score of the positive class (a probability or any monotone score), same length, finite
     * @return the AUROC in [0, 1]
     * @throws BtwException on empty, mismatched or non-finite input, or when only one class is present
     */
    public static double binary(boolean[] positive, double[] scores) {
        if (positive == null || positive.length == 0) {
            throw new BtwException("AUROC: y_true is empty");
        }
        Inputs.requireValues("AUROC", "scores", scores);
        Inputs.requireSameLength("AUROC", "y_true", positive.length, "scores", scores.length);
        long nPos = 0;
        for (boolean p : positive) {
            if (p) {
                nPos++;
            }
        }
        long nNeg = positive.length - nPos;
        if (nPos == 0 || nNeg == 0) {
            throw new BtwException("AUROC is undefined: y_true holds only " + (nPos == 0 ? "negative" : "positive")
                    + " instances (" + positive.length + "); it needs both classes");
        }
        double[] ranks = averageRanks(scores);
        double positiveRankSum = 0.0;
        for (int i = 0; i < positive.length; i++) {
            if (positive[i]) {
                positiveRankSum += ranks[i];
            }
        }
        double u = positiveRankSum - nPos * (nPos + 1) / 2.0;
        return u / ((double) nPos * (double) nNeg);
    }

    /**
     * Binary AUROC with 0/1 labels.
     *
     * @param yTrue labels, each 0 or 1, non-empty, both present
     * @param scores the score of class 1, same length, finite
     * @return the AUROC in [0, 1]
     * @throws BtwException on bad input or when only one class is present
     */
    public static double binary(int[] yTrue, double[] scores) {
        Inputs.requireLabels("AUROC", "y_true", yTrue, 2);
        boolean[] positive = new boolean[yTrue.length];
        for (int i = 0; i < yTrue.length; i++) {
            positive[i] = yTrue[i] == 1;
        }
        return binary(positive, scores);
    }

    /**
     * AUROC from a score matrix: for two columns the binary AUROC of column 1; for more, the unweighted mean over
     * classes of the one-vs-rest AUROC of each column (scikit-learn's {@code multi_class="ovr",
     * average="macro"}). Rows need not sum to 1 (scikit-learn insists on it for more than two classes; for rows
     * that do, the results agree).
     *
     * @param yTrue class indices in [0, C), non-empty; every class must occur
     * @param scores n x C scores or probabilities, finite
     * @return the AUROC in [0, 1]
     * @throws BtwException on bad input, or when some class never occurs in {@code yTrue}
     */
    public static double of(int[] yTrue, double[][] scores) {
        int classes = Inputs.requireScores("AUROC", "probabilities", scores);
        Inputs.requireLabels("AUROC", "y_true", yTrue, classes);
        Inputs.requireSameLength("AUROC", "y_true", yTrue.length, "probabilities", scores.length);
        int[] support = support(yTrue, classes);
        for (int c = 0; c < classes; c++) {
            if (support[c] == 0) {
                throw new BtwException("AUROC is undefined: class " + c + " never occurs in y_true (" + yTrue.length
                        + " instances, " + classes + " classes); one-vs-rest AUROC needs every class present");
            }
            if (support[c] == yTrue.length) {
                throw new BtwException("AUROC is undefined: y_true holds only class " + c + " (" + yTrue.length
                        + " instances); it needs at least two classes");
            }
        }
        if (classes == 2) {
            return binary(yTrue, column(scores, 1));
        }
        double sum = 0.0;
        boolean[] positive = new boolean[yTrue.length];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < yTrue.length; i++) {
                positive[i] = yTrue[i] == c;
            }
            sum += binary(positive, column(scores, c));
        }
        return sum / classes;
    }

    /**
     * Whether {@link #of} is defined: every one of {@code numClasses} classes occurs in {@code yTrue}, and
     * {@code numClasses} is at least 2.
     *
     * @param yTrue class indices; labels out of [0, numClasses) make the answer {@code false}
     * @param numClasses C
     * @return {@code true} when AUROC can be computed
     */
    public static boolean isDefined(int[] yTrue, int numClasses) {
        if (yTrue == null || numClasses < 2) {
            return false;
        }
        boolean[] seen = new boolean[numClasses];
        for (int y : yTrue) {
            if (y < 0 || y >= numClasses) {
                return false;
            }
            seen[y] = true;
        }
        for (boolean s : seen) {
            if (!s) {
                return false;
            }
        }
        return true;
    }

    /** Ranks 1..n of the values, tied values sharing the mean of the ranks they span. */
    static double[] averageRanks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start + 1;
            // == rather than Double.compare so that -0.0 and 0.0 tie, as they do in numpy
            while (end < n && values[order[end]] == values[order[start]]) {
                end++;
            }
            double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int j = start; j < end; j++) {
                ranks[order[j]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    private static int[] support(int[] yTrue, int classes) {
        int[] support = new int[classes];
        for (int y : yTrue) {
            support[y]++;
        }
        return support;
    }

    private static double[] column(double[][] scores, int c) {
        double[] col = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            col[i] = scores[i][c];
        }
        return col;
    }
}

package dev.btw.core.metrics;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs over classes 0 .. C-1: rows are true classes, columns predicted
 * ones, as scikit-learn's {@code confusion_matrix(y_true, y_pred, labels=range(C))}. Immutable.
 */
public final class ConfusionMatrix {

    private final int[][] counts;
    private final int total;

    private ConfusionMatrix(int[][] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Tallies true against predicted labels.
     *
     * @param yTrue true class indices in [0, numClasses), non-empty
     * @param yPred predicted class indices in [0, numClasses), same length
     * @param numClasses the number of classes C, at least 1
     * @return the C x C matrix
     * @throws dev.btw.core.BtwException on empty or mismatched input or a label out of range
     */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, int numClasses) {
        Inputs.requireLabels("confusion matrix", "y_true", yTrue, numClasses);
        Inputs.requireLabels("confusion matrix", "y_pred", yPred, numClasses);
        Inputs.requireSameLength("confusion matrix", "y_true", yTrue.length, "y_pred", yPred.length);
        int[][] counts = new int[numClasses][numClasses];
        for (int i = 0; i < yTrue.length; i++) {
            counts[yTrue[i]][yPred[i]]++;
        }
        return new ConfusionMatrix(counts, yTrue.length);
    }

    /** @return the number of classes C */
    public int numClasses() {
        return counts.length;
    }

    /** @return the number of instances tallied */
    public int total() {
        return total;
    }

    /**
     * @param trueClass row, in [0, C)
     * @param predictedClass column, in [0, C)
     * @return how many instances of {@code trueClass} were predicted as {@code predictedClass}
     */
    public int count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /**
     * @param c a class in [0, C)
     * @return how many instances truly belong to {@code c} (the row sum)
     */
    public int support(int c) {
        int s = 0;
        for (int p = 0; p < counts.length; p++) {
            s += counts[c][p];
        }
        return s;
    }

    /**
     * @param c a class in [0, C)
     * @return how many instances were predicted as {@code c} (the column sum)
     */
    public int predicted(int c) {
        int s = 0;
        for (int[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** @return the fraction of instances on the diagonal */
    public double accuracy() {
        int correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return (double) correct / total;
    }

    /** @return a fresh copy of the counts, {@code [true][predicted]} */
    public int[][] toArray() {
        int[][] copy = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            copy[c] = counts[c].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    /** @return the rows, e.g. {@code [[5, 1], [2, 4]]} */
    @Override
    public String toString() {
        return Arrays.deepToString(counts);
    }
}

package dev.btw.core.metrics;

import dev.btw.core.BtwException;

/** Input checks shared by the metrics; every failure is a {@link BtwException} naming the metric and array. */
final class Inputs {

    private Inputs() {}

    /** Checks a pair of value arrays: non-null, non-empty, same length, every value finite. */
    static void requirePair(String metric, String nameA, double[] a, String nameB, double[] b) {
        requireValues(metric, nameA, a);
        requireValues(metric, nameB, b);
        requireSameLength(metric, nameA, a.length, nameB, b.length);
    }

    /** Checks one value array: non-null, non-empty, every value finite. */
    static void requireValues(String metric, String name, double[] values) {
        if (values == null) {
            throw new BtwException(metric + ": " + name + " is missing (null)");
        }
        if (values.length == 0) {
            throw new BtwException(metric + ": " + name + " is empty");
        }
        for (int i = 0; i < values.length; i++) {
            requireFinite(metric, name + "[" + i + "]", values[i]);
        }
    }

    static void requireFinite(String metric, String where, double value) {
        if (Double.isNaN(value)) {
            throw new BtwException(metric + ": " + where + " is NaN");
        }
        if (Double.isInfinite(value)) {
            throw new BtwException(metric + ": " + where + " is infinite (" + value + ")");
        }
    }

    static void requireSameLength(String metric, String nameA, int lengthA, String nameB, int lengthB) {
        if (lengthA != lengthB) {
            throw new BtwException(
                    metric + ": " + nameA + " has " + lengthA + " values but " + nameB + " has " + lengthB);
        }
    }

    /** Checks labels: non-null, non-empty, every label in [0, numClasses). */
    static void requireLabels(String metric, String name, int[] labels, int numClasses) {
        if (labels == null) {
            throw new BtwException(metric + ": " + name + " is missing (null)");
        }
        if (labels.length == 0) {
            throw new BtwException(metric + ": " + name + " is empty");
        }
        if (numClasses < 1) {
            throw new BtwException(metric + ": the number of classes must be at least 1, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new BtwException(metric + ": " + name + "[" + i + "] = " + labels[i]
                        + " is not a class index in [0, " + numClasses + ")");
            }
        }
    }

    /**
     * Checks a probability (or score) matrix: non-null, non-empty, rectangular with at least two columns, every
     * value finite.
     *
     * @return the number of columns (classes)
     */
    static int requireScores(String metric, String name, double[][] scores) {
        if (scores == null) {
            throw new BtwException(metric + ": " + name + " is missing (null)");
        }
        if (scores.length == 0) {
            throw new BtwException(metric + ": " + name + " is empty");
        }
        if (scores[0] == null) {
            throw new BtwException(metric + ": " + name + "[0] is missing (null)");
        }
        int columns = scores[0].length;
        if (columns < 2) {
            throw new BtwException(metric + ": " + name + " needs one column per class and at least 2 classes, got "
                    + columns + " column(s)");
        }
        for (int i = 0; i < scores.length; i++) {
            double[] row = scores[i];
            if (row == null) {
                throw new BtwException(metric + ": " + name + "[" + i + "] is missing (null)");
            }
            if (row.length != columns) {
                throw new BtwException(
                        metric + ": " + name + "[" + i + "] has " + row.length + " columns but row 0 has " + columns);
            }
            for (int c = 0; c < columns; c++) {
                requireFinite(metric, name + "[" + i + "][" + c + "]", row[c]);
            }
        }
        return columns;
    }
}

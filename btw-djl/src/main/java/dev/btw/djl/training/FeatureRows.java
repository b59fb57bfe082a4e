package dev.btw.djl.training;

/**
 * One modality's rows of a split that are not held in the Java heap but read on demand, for instance from the
 * memory-mapped feature store (the application's store features): training copies only each batch's rows.
 */
public interface FeatureRows {

    /**
     * Copies row {@code i} (standardised, zeros where the modality is missing) into an array.
     *
     * @param i a row of the split
     * @param into the destination
     * @param offset where in {@code into} the row starts
     */
    void copyRow(int i, float[] into, int offset);

    /**
     * @param rows rows of this split
     * @return the rows of those instances, in that order
     */
    FeatureRows select(int[] rows);
}

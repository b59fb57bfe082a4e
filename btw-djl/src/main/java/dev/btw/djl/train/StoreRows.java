package dev.btw.djl.train;

import dev.btw.core.data.Standardisation;
import dev.btw.djl.store.ModalityFeatures;
import java.util.Arrays;

/**
 * {@link FeatureRows} read from a memory-mapped feature-store modality: each split row names its store row (or
 * none: missing), and rows are standardised as they are copied, with the same arithmetic as
 * {@link Standardisation#applyInPlace}, so training sees exactly the values an in-heap copy would hold.
 */
final class StoreRows implements FeatureRows {

    private final ModalityFeatures store;
    private final int[] storeRow;
    private final Standardisation standardisation;

    /**
     * @param store the modality's vectors
     * @param storeRow per split row, its row in the store, or -1 where the modality is missing
     * @param standardisation applied to every copied row, or null for none
     */
    StoreRows(ModalityFeatures store, int[] storeRow, Standardisation standardisation) {
        this.store = store;
        this.storeRow = storeRow;
        this.standardisation = standardisation;
    }

    StoreRows withStandardisation(Standardisation st) {
        return new StoreRows(store, storeRow, st);
    }

    @Override
    public void copyRow(int i, float[] into, int offset) {
        int r = storeRow[i];
        if (r < 0) {
            Arrays.fill(into, offset, offset + store.dimension(), 0f);
            return;
        }
        store.copyRow(r, into, offset);
        if (standardisation != null) {
            standardisation.applyToRow(into, offset);
        }
    }

    @Override
    public FeatureRows select(int[] rows) {
        int[] picked = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            picked[k] = storeRow[rows[k]];
        }
        return new StoreRows(store, picked, standardisation);
    }
}

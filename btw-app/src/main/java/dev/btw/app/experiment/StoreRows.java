package dev.btw.app.experiment;

import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.training.FeatureRows;

/**
 * {@link FeatureRows} read from a memory-mapped feature-store modality: each split row names its store row (or
 * none: missing; it reads as zeros), holding only the mappings, not the store's ids and bookkeeping; rows are
 * standardised as they are copied, with the same arithmetic as
 * {@link Standardisation#applyInPlace}, so training sees exactly the values an in-heap copy would hold.
 */
final class StoreRows implements FeatureRows {

    private final ModalityFeatures.RowReader rows;
    private final Standardisation standardisation;

    /**
     * @param rows per split row, its store row (zeros where the modality is missing)
     * @param standardisation applied to every present copied row, or null for none
     */
    StoreRows(ModalityFeatures.RowReader rows, Standardisation standardisation) {
        this.rows = rows;
        this.standardisation = standardisation;
    }

    StoreRows withStandardisation(Standardisation st) {
        return new StoreRows(rows, st);
    }

    @Override
    public void copyRow(int i, float[] into, int offset) {
        rows.copyRow(i, into, offset);
        if (standardisation != null && rows.holds(i)) {
            standardisation.applyToRow(into, offset);
        }
    }

    @Override
    public FeatureRows select(int[] picked) {
        return new StoreRows(rows.select(picked), standardisation);
    }
}

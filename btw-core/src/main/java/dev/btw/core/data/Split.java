package dev.btw.core.data;

import java.util.Locale;

/** The three splits of a manifest. Test labels are read only for final scoring. */
public enum Split {
    /** Training instances: labels drive the loss and the BTW refresh. */
    TRAIN,
    /** Validation instances: labels drive model selection, early stopping and the smoothing factor. */
    VAL,
    /** Test instances: labels are read for final scoring only. */
    TEST;

    /** @return the name as written in manifests and file names ({@code train}, {@code val}, {@code test}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param s a split as written in a manifest
     * @return the split, or {@code null} when {@code s} names none
     */
    public static Split parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train":
                return TRAIN;
            case "val":
            case "valid":
            case "validation":
                return VAL;
            case "test":
                return TEST;
            default:
                return null;
        }
    }
}

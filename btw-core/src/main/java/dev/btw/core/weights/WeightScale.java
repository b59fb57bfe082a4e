package dev.btw.core.weights;

import dev.btw.core.BtwException;

/** The scale of target weights over the modalities present for an instance. */
public enum WeightScale {
    /** The weights of an instance sum to 1 (the reference). */
    SUM_TO_ONE("sum-to-one"),
    /** The weights of an instance average 1: sum-to-one times the number of present modalities. */
    MEAN_ONE("mean-one");

    private final String text;

    WeightScale(String text) {
        this.text = text;
    }

    /**
     * @param value {@code sum-to-one} or {@code mean-one}
     * @return the scale
     * @throws BtwException for any other value
     */
    public static WeightScale parse(String value) {
        for (WeightScale s : values()) {
            if (s.text.equals(value == null ? null : value.trim())) {
                return s;
            }
        }
        throw new BtwException("unknown weight scale '" + value + "'; expected sum-to-one or mean-one");
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.btw.core.weights;

import dev.btw.core.BtwException;

/** How weights are obtained where labels do not exist: validation, test and inference. */
public enum InferencePolicy {
    /** w^m = the mean training weight of modality m over the instances where it is present (the default). */
    MODALITY_PRIOR("modality-prior"),
    /** A label-free refresh per instance, combined with the training modality shares, without EMA. */
    INSTANCE("instance"),
    /** Every present modality weighs 1. */
    UNIFORM("uniform");

    private final String text;

    InferencePolicy(String text) {
        this.text = text;
    }

    /**
     * @param value {@code modality-prior}, {@code instance} or {@code uniform}
     * @return the policy
     * @throws BtwException for any other value
     */
    public static InferencePolicy parse(String value) {
        for (InferencePolicy p : values()) {
            if (p.text.equals(value == null ? null : value.trim())) {
                return p;
            }
        }
        throw new BtwException(
                "unknown inference policy '" + value + "'; expected modality-prior, instance or uniform");
    }

    @Override
    public String toString() {
        return text;
    }
}

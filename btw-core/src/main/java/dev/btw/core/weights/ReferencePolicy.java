package dev.btw.core.weights;

import dev.btw.core.BtwException;

/**
 * Which predictions of the unimodal references BTW's divergence and mutual information are computed from
 * (docs/METHOD.md, "Reference policies").
 */
public enum ReferencePolicy {
    /** The references' predictions on the instances they were trained on (the paper's and the default). */
    IN_SAMPLE("in-sample"),
    /**
     * Cross-fitted: each train instance's reference prediction comes from a fold model that did not see it
     * ({@code btw.folds} folds, stratified for classification, respecting {@code btw.fold_group}).
     */
    OUT_OF_FOLD("out-of-fold"),
    /**
     * The modality shares mu^m are computed on the validation split (references against the fused predictions
     * there); the per-instance divergence stays on train, in-sample.
     */
    VALIDATION("validation");

    private final String text;

    ReferencePolicy(String text) {
        this.text = text;
    }

    /**
     * @param value {@code in-sample}, {@code out-of-fold} or {@code validation}
     * @return the policy
     * @throws BtwException for any other value
     */
    public static ReferencePolicy parse(String value) {
        for (ReferencePolicy p : values()) {
            if (p.text.equals(value == null ? null : value.trim())) {
                return p;
            }
        }
        throw new BtwException(
                "unknown reference policy '" + value + "'; expected in-sample, out-of-fold or validation");
    }

    @Override
    public String toString() {
        return text;
    }
}

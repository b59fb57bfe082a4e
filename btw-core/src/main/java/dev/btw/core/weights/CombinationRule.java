package dev.btw.core.weights;

import dev.btw.core.BtwException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the per-instance divergence share k_i^m and the modality share mu^m (mutual information, or correlation
 * for the {@code cc} rules) combine into the target weight f_i^m before renormalisation over present modalities.
 */
public enum CombinationRule {
    /** k * mu: the reference's BTW rule ({@link #REFERENCE}, the default of {@link BtwRefresh}'s builder). */
    KL_MI("kl*mi"),
    /** exp(-k) * mu: the variant found in the reference's clinical code ({@link #CONFIG_DEFAULT}). */
    EXP_NEG_KL_MI("exp(-kl)*mi"),
    /** k only. */
    KL("kl"),
    /** mu only: modality level. */
    MI("mi"),
    /** rho only: Pearson correlation in place of mutual information. */
    CC("cc"),
    /** k * rho. */
    KL_CC("kl*cc"),
    /** 1: every present modality weighs the same (the baseline). */
    UNIFORM("uniform");

    /**
     * The paper's rule, {@code kl*mi}: the default of the library's {@link BtwRefresh#builder()} and of
     * {@code btw weights}, which reproduce the reference.
     */
    public static final CombinationRule REFERENCE = KL_MI;

    /** The default of a config's {@code btw.rule} (and so of {@code btw train}), {@code exp(-kl)*mi}. */
    public static final CombinationRule CONFIG_DEFAULT = EXP_NEG_KL_MI;

    private final String text;

    CombinationRule(String text) {
        this.text = text;
    }

    /**
     * @param value one of {@code kl*mi}, {@code exp(-kl)*mi}, {@code kl}, {@code mi}, {@code cc},
     *     {@code kl*cc}, {@code uniform}
     * @return the rule
     * @throws BtwException for any other value, listing the valid names
     */
    public static CombinationRule parse(String value) {
        for (CombinationRule r : values()) {
            if (r.text.equals(value == null ? null : value.trim())) {
                return r;
            }
        }
        throw new BtwException("unknown combination rule '" + value + "'; valid rules: "
                + Arrays.stream(values()).map(CombinationRule::toString).collect(Collectors.joining(", ")));
    }

    /** @return whether the rule reads the per-instance divergence */
    public boolean usesDivergence() {
        return switch (this) {
            case KL_MI, EXP_NEG_KL_MI, KL, KL_CC -> true;
            case MI, CC, UNIFORM -> false;
        };
    }

    /** @return whether the modality share is mutual information */
    public boolean usesMutualInformation() {
        return switch (this) {
            case KL_MI, EXP_NEG_KL_MI, MI -> true;
            case KL, CC, KL_CC, UNIFORM -> false;
        };
    }

    /** @return whether the modality share is Pearson correlation */
    public boolean usesCorrelation() {
        return switch (this) {
            case CC, KL_CC -> true;
            case KL_MI, EXP_NEG_KL_MI, KL, MI, UNIFORM -> false;
        };
    }

    /**
     * @param divergenceShare k_i^m, the instance's normalised divergence for the modality
     * @param modalityShare mu^m (or rho^m), normalised over modalities
     * @return f_i^m before renormalisation
     */
    public double combine(double divergenceShare, double modalityShare) {
        // Exhaustive, no default: a new rule does not compile without its formula here and its ONNX form in
        // btw-djl's InstanceWeightsWriter.combine (which dispatches the same way).
        return switch (this) {
            case KL_MI, KL_CC -> divergenceShare * modalityShare;
            case EXP_NEG_KL_MI -> Math.exp(-divergenceShare) * modalityShare;
            case KL -> divergenceShare;
            case MI, CC -> modalityShare;
            case UNIFORM -> 1.0;
        };
    }

    /** @return the spelling in a config, e.g. {@code exp(-kl)*mi} */
    @Override
    public String toString() {
        return text;
    }
}

package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.weights.CombinationRule;
import java.util.List;
import java.util.Objects;

/**
 * A method of a run: a unimodal reference, the late-fusion baseline, the early-fusion linear baseline, or the fused
 * model under a combination rule. Its string form is what the CLI, configs and the run directory use, and
 * {@link #parse(String)} reads back what {@code toString()} writes: {@code unimodal:<modality>},
 * {@code late-average}, {@code linear}, and the rules' own spellings ({@code kl*mi}, {@code exp(-kl)*mi}, {@code kl},
 * {@code mi}, {@code cc}, {@code kl*cc}, and {@code uniform}: every weight 1).
 *
 * <p>Dispatch on a method with {@code instanceof} patterns over the four permitted records (the interface is
 * sealed), never on its string's prefix.
 */
public sealed interface Method permits Method.Unimodal, Method.LateAverage, Method.Linear, Method.Fusion {

    /** The late-fusion baseline. */
    Method LATE_AVERAGE = new LateAverage();

    /** The early-fusion linear baseline ({@link LinearBaseline}). */
    Method LINEAR = new Linear();

    /** The prefix of a unimodal reference's string form. */
    String UNIMODAL_PREFIX = "unimodal:";

    /**
     * @param modality a modality
     * @return its unimodal reference
     */
    static Unimodal unimodal(String modality) {
        return new Unimodal(modality);
    }

    /**
     * @param rule a combination rule ({@link CombinationRule#UNIFORM} for fusion with every weight 1)
     * @return the fused model under it
     */
    static Fusion fusion(CombinationRule rule) {
        return new Fusion(rule);
    }

    /**
     * Reads a method's string form.
     *
     * @param text e.g. {@code unimodal:text}, {@code late-average}, {@code linear}, {@code uniform}, {@code kl*mi}
     * @return the method
     * @throws BtwException naming the text and the valid forms when it is none of them
     */
    static Method parse(String text) {
        if (text == null) {
            throw new BtwException("no method given; " + FORMS);
        }
        String m = text.trim();
        if (m.equals(LATE_AVERAGE.toString())) {
            return LATE_AVERAGE;
        }
        if (m.equals(LINEAR.toString())) {
            return LINEAR;
        }
        if (m.startsWith(UNIMODAL_PREFIX)) {
            String modality = m.substring(UNIMODAL_PREFIX.length());
            if (modality.isBlank()) {
                throw new BtwException("method '" + m + "' names no modality; " + FORMS);
            }
            return unimodal(modality);
        }
        try {
            return fusion(CombinationRule.parse(m));
        } catch (BtwException e) {
            throw new BtwException("unknown method '" + m + "'; " + FORMS);
        }
    }

    /** What {@link #parse(String)} accepts, for messages. */
    String FORMS =
            "expected unimodal:<modality>, late-average, uniform, linear, kl*mi, exp(-kl)*mi, kl, mi, kl*cc or cc";

    /**
     * Parses a method and checks that a unimodal one names a modality of the run.
     *
     * @param text the method's string form
     * @param modalities the run's modalities
     * @return the method
     * @throws BtwException naming the method when it is unknown or names no modality of the run
     */
    static Method parse(String text, List<String> modalities) {
        Method method = parse(text);
        if (method instanceof Unimodal u && !modalities.contains(u.modality())) {
            throw new BtwException("method '" + u + "' names no modality of the config (have " + modalities + ")");
        }
        return method;
    }

    /**
     * @return its file-name slug: {@code *} becomes {@code _}, {@code :} becomes {@code -}, parentheses are dropped
     *     ({@code exp(-kl)*mi} gives {@code exp-kl_mi}, {@code unimodal:text} gives {@code unimodal-text})
     */
    default String slug() {
        return MethodName.slug(toString());
    }

    /**
     * A unimodal reference: the fusion model restricted to one modality.
     *
     * @param modality the modality
     */
    record Unimodal(String modality) implements Method {
        /**
         * @param modality the modality, not blank
         */
        public Unimodal {
            Objects.requireNonNull(modality, "modality");
            if (modality.isBlank()) {
                throw new BtwException("a unimodal method needs a modality");
            }
        }

        @Override
        public String toString() {
            return UNIMODAL_PREFIX + modality;
        }
    }

    /** The late-fusion baseline: the mean of the unimodal references' predictions. */
    record LateAverage() implements Method {
        @Override
        public String toString() {
            return "late-average";
        }
    }

    /** The early-fusion linear baseline. */
    record Linear() implements Method {
        @Override
        public String toString() {
            return "linear";
        }
    }

    /**
     * The fused model trained with BTW weights under a rule.
     *
     * @param rule the combination rule; {@link CombinationRule#UNIFORM} weighs every present modality 1
     */
    record Fusion(CombinationRule rule) implements Method {
        /**
         * @param rule the rule, not null
         */
        public Fusion {
            Objects.requireNonNull(rule, "rule");
        }

        /** @return whether every weight is 1 ({@code uniform}) */
        public boolean uniform() {
            return rule == CombinationRule.UNIFORM;
        }

        @Override
        public String toString() {
            return rule.toString();
        }
    }
}

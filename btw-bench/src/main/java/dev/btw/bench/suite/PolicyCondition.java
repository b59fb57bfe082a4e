package dev.btw.bench.suite;

import java.util.Optional;

/**
 * A reference policy ({@code btw.references}) run on the data of one suite condition, named in the work folder so
 * that it pairs with that condition's {@code in-sample} runs: {@code references-<policy>} on the main data (the
 * {@code references} phase), {@code sweep-<policy>-<condition>} under a sweep condition such as {@code noise-4} or
 * {@code corrupt} (the {@code sweep-references} phase).
 *
 * @param policy the reference policy, one of {@link SuitePlan#REFERENCE_POLICIES}
 * @param base the condition whose data it runs on and whose runs are its {@code in-sample} side
 */
public record PolicyCondition(String policy, String base) {

    /** Prefix of the reference-policy conditions on the main data. */
    static final String MAIN_PREFIX = "references-";

    /** Prefix of the reference-policy conditions under a sweep condition. */
    static final String SWEEP_PREFIX = "sweep-";

    /** @return the condition's folder name */
    public String name() {
        return "main".equals(base) ? MAIN_PREFIX + policy : SWEEP_PREFIX + policy + "-" + base;
    }

    /**
     * @param condition a folder name of a suite condition
     * @return the policy condition it names, or empty for any other condition (main, sweeps, variants)
     */
    public static Optional<PolicyCondition> parse(String condition) {
        if (condition.startsWith(MAIN_PREFIX)) {
            return Optional.of(new PolicyCondition(condition.substring(MAIN_PREFIX.length()), "main"));
        }
        if (condition.startsWith(SWEEP_PREFIX)) {
            String rest = condition.substring(SWEEP_PREFIX.length());
            for (String p : SuitePlan.REFERENCE_POLICIES) {
                if (rest.startsWith(p + "-") && rest.length() > p.length() + 1) {
                    return Optional.of(new PolicyCondition(p, rest.substring(p.length() + 1)));
                }
            }
        }
        return Optional.empty();
    }
}

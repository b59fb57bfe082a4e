package dev.btw.bench.suite;

import java.util.Optional;

/**
 * The weight scale {@code btw.scale: mean-one} run on the data of one suite condition, named in the work folder so
 * that it pairs by seed with that condition's runs (whose scale is the default, {@code sum-to-one}):
 * {@code variant-scale-mean-one} on the main data (the {@code variants} phase), {@code scale-mean-one-<condition>}
 * under a sweep condition such as {@code noise-4} or {@code corrupt} (the {@code sweep-scale} phase).
 *
 * @param base the condition whose data it runs on and whose runs are its {@code sum-to-one} side
 */
public record ScaleCondition(String base) {

    /** The settings variant that sets the scale, and the prefix of the sweep conditions that do. */
    public static final String VARIANT = "scale-mean-one";

    /** The override the variant applies. */
    public static final String OVERRIDE = "btw.scale=mean-one";

    /** @return the condition's folder name */
    public String name() {
        return "main".equals(base) ? "variant-" + VARIANT : VARIANT + "-" + base;
    }

    /**
     * @param condition a folder name of a suite condition
     * @return the scale condition it names, or empty for any other condition
     */
    public static Optional<ScaleCondition> parse(String condition) {
        if (condition.equals("variant-" + VARIANT)) {
            return Optional.of(new ScaleCondition("main"));
        }
        if (condition.startsWith(VARIANT + "-") && condition.length() > VARIANT.length() + 1) {
            return Optional.of(new ScaleCondition(condition.substring(VARIANT.length() + 1)));
        }
        return Optional.empty();
    }
}

package dev.btw.bench.suite;

import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.weights.WeightScale;
import java.util.Optional;

/**
 * The weight scale that is not the default ({@link #OTHER}: {@code sum-to-one} while the default is
 * {@code mean-one}) run on the data of one suite condition, named in the work folder so that it pairs by seed with
 * that condition's runs (whose scale is the default): {@code variant-scale-sum-to-one} on the main data (the
 * {@code variants} phase), {@code scale-sum-to-one-<condition>} under a sweep condition such as {@code noise-4} or
 * {@code corrupt} (the {@code sweep-scale} phase).
 *
 * @param base the condition whose data it runs on and whose runs are its side of the default scale
 */
public record ScaleCondition(String base) {

    /** The default scale (the config's), which every other run of the suite trains with. */
    public static final WeightScale DEFAULT = ConfigDefaults.BTW.scale();

    /** The other scale, which these runs train with. */
    public static final WeightScale OTHER =
            DEFAULT == WeightScale.SUM_TO_ONE ? WeightScale.MEAN_ONE : WeightScale.SUM_TO_ONE;

    /** The settings variant that sets the scale, and the prefix of the sweep conditions that do. */
    public static final String VARIANT = "scale-" + OTHER;

    /** The override the variant applies. */
    public static final String OVERRIDE = "btw.scale=" + OTHER;

    /** @return whether these runs are the {@code mean-one} side of a comparison (else the default is) */
    public static boolean variantIsMeanOne() {
        return OTHER == WeightScale.MEAN_ONE;
    }

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

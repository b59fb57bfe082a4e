package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.weights.CombinationRule;
import java.util.List;

/**
 * String helpers for the method names of the run directory; the type is {@link Method}, which parses and prints
 * them. The names: {@code unimodal:<modality>}, {@code late-average}, {@code uniform},
 * {@code linear} (the early-fusion linear baseline), and the BTW rules ({@code kl*mi}, {@code exp(-kl)*mi}, {@code kl}, {@code mi}, {@code kl*cc}, {@code cc}).
 * File names use a slug: {@code *} becomes {@code _}, {@code :} becomes {@code -}, parentheses are dropped
 * ({@code kl*mi} -> {@code kl_mi}, {@code exp(-kl)*mi} -> {@code exp-kl_mi}, {@code unimodal:text} ->
 * {@code unimodal-text}).
 */
public final class MethodName {

    /** The late-fusion baseline. */
    public static final String LATE_AVERAGE = "late-average";
    /** Fusion with all weights 1. */
    public static final String UNIFORM = "uniform";
    /** The early-fusion linear baseline ({@link LinearBaseline}). */
    public static final String LINEAR = "linear";
    /** Prefix of the unimodal references. */
    public static final String UNIMODAL = "unimodal:";

    private MethodName() {}

    /**
     * @param method a method name
     * @return its file-name slug
     */
    public static String slug(String method) {
        return method.replace("*", "_").replace(":", "-").replace("(", "").replace(")", "");
    }

    /**
     * Checks a method name.
     *
     * @param method the name
     * @param modalities the config's modalities
     * @return the name, trimmed
     * @throws BtwException naming the method when unknown
     */
    public static String check(String method, List<String> modalities) {
        return Method.parse(method, modalities).toString();
    }

    /**
     * @param method a checked method name
     * @return its rule, or null for {@code uniform}
     */
    public static CombinationRule rule(String method) {
        if (!(Method.parse(method) instanceof Method.Fusion f)) {
            throw new BtwException("method '" + method + "' is not a fusion rule");
        }
        return f.uniform() ? null : f.rule();
    }
}

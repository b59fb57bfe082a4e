package dev.btw.core.config;

import dev.btw.core.BtwException;
import java.util.Locale;

/**
 * How a modality's gate scores the experts ({@code model.gating}). Engine-neutral, so that the config can hold it;
 * the gates themselves live in btw-djl.
 */
public enum GatingKind {
    /** {@code logit_e = -||x - g_e||_2}: the reference's "Laplace" gating. */
    LAPLACE,
    /** {@code logit = x W}: classic softmax gating. */
    SOFTMAX;

    /** @return the spelling in a config, {@code laplace} or {@code softmax} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value {@code laplace} or {@code softmax}
     * @return the gating kind
     * @throws BtwException naming {@code model.gating} for any other value
     */
    public static GatingKind parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new BtwException("config key 'model.gating' must be laplace or softmax, got '" + value + "'");
        }
    }
}

package dev.btw.core.divergence;

import dev.btw.core.BtwException;
import java.util.Locale;

/** How the Gaussian widths of the regression divergence are chosen. */
public enum SigmaPolicy {
    /** s_p = |y_i - p_i|, s_q = |y_i - q_i|: per-instance residuals, needs labels (the reference). */
    RESIDUAL("residual"),
    /** s_p = the unimodal model's train RMS residual, s_q = the fused model's: label-free. */
    GLOBAL("global");

    /** The default floor on sigmas, relative to the train label standard deviation. */
    public static final double DEFAULT_RELATIVE_FLOOR = 1e-3;

    private final String text;

    SigmaPolicy(String text) {
        this.text = text;
    }

    /**
     * @param value {@code residual} or {@code global}
     * @return the policy
     * @throws BtwException for any other value
     */
    public static SigmaPolicy parse(String value) {
        for (SigmaPolicy p : values()) {
            if (value != null && p.text.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new BtwException("unknown sigma policy '" + value + "'; expected residual or global");
    }

    /**
     * The default floor sigma_min: {@value #DEFAULT_RELATIVE_FLOOR} times the population standard deviation of
     * the reference values (the train labels), or 1e-12 when they are constant.
     *
     * @param reference the train labels (or, without labels, the fused predictions)
     * @return the floor, positive
     */
    public static double defaultFloor(double[] reference) {
        int n = 0;
        double sum = 0;
        for (double v : reference) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return 1e-12;
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : reference) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double floor = DEFAULT_RELATIVE_FLOOR * Math.sqrt(ss / n);
        return floor > 0 ? floor : 1e-12;
    }

    @Override
    public String toString() {
        return text;
    }
}

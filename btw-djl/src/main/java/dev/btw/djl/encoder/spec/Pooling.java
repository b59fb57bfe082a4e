package dev.btw.djl.encoder.spec;

import java.util.Arrays;

/**
 * How a model's output becomes one vector per instance.
 *
 * <ul>
 *   <li>{@code mean}: mean over the sequence axis, weighted by the attention mask (text) or over windows (audio);
 *   <li>{@code cls}: the first token's vector;
 *   <li>{@code none}: the output already is one vector per instance (flattened);
 *   <li>{@code class-scores}: for a [B, T, C] score output, the maximum and then the mean over time of the
 *       listed classes (2 x classes values), e.g. the ten digit characters of an OCR recogniser.
 * </ul>
 *
 * @param type the pooling type
 * @param classes the class indices for {@code class-scores}, empty otherwise
 */
public record Pooling(String type, int[] classes) {

    /** Mean pooling. */
    public static final Pooling MEAN = new Pooling("mean", new int[0]);

    /** Checks the type. */
    public Pooling {
        if (!type.equals("mean") && !type.equals("cls") && !type.equals("none") && !type.equals("class-scores")) {
            throw new IllegalArgumentException("pooling must be mean, cls, none or class-scores, got '" + type + "'");
        }
        classes = classes.clone();
    }

    /** @return a stable text form, part of the encoder fingerprint */
    public String canonical() {
        return classes.length == 0 ? type : type + Arrays.toString(classes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pooling p && p.type.equals(type) && Arrays.equals(p.classes, classes);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(classes);
    }

    @Override
    public String toString() {
        return canonical();
    }
}

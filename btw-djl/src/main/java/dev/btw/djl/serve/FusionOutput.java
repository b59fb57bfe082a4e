package dev.btw.djl.serve;

import java.util.List;

/**
 * The fused model's output for one instance: the predicted value (regression), or the class probabilities in
 * the order of {@link #classes()} (classification).
 *
 * @param values one value for regression, one probability per class for classification
 * @param classes the class names (empty for regression)
 */
public record FusionOutput(float[] values, List<String> classes) {

    /** @return the regression prediction (the first value) */
    public float prediction() {
        return values[0];
    }

    /** @return the most probable class, for classification */
    public String predictedClass() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return classes.isEmpty() ? Integer.toString(best) : classes.get(best);
    }
}

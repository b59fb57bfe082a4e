package dev.btw.djl.serve;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The fused model's output for one instance, and the modality weights the model used for it.
 *
 * <ul>
 *   <li>Classification: {@link #probabilities()} (class name to probability, in the model's class order),
 *       {@link #predictedClass()} and {@link #predictedIndex()}; {@link #value()} throws.
 *   <li>Regression: {@link #value()}, the prediction on the label's scale; the class accessors throw.
 * </ul>
 *
 * {@link #modalityWeights()} holds, per modality in the model's input order, the weight the model gave that
 * modality for this instance: per instance under the {@code instance} inference policy, the policy's constant
 * otherwise; 0 where the modality is missing. It is empty for a file exported before btw wrote that output.
 */
public final class FusionOutput {

    private final Task task;
    private final float[] values;
    private final List<String> classes;
    private final Map<String, Float> modalityWeights;

    /**
     * @param task regression or classification
     * @param values one value for regression, one probability per class for classification; copied
     * @param classes the class names, one per value (classification), or empty (regression)
     * @param modalityWeights the weight per modality name in input order, or empty; copied
     * @throws IllegalArgumentException when the class names do not match the values
     */
    public FusionOutput(Task task, float[] values, List<String> classes, Map<String, Float> modalityWeights) {
        this.task = Objects.requireNonNull(task, "task");
        this.values = Objects.requireNonNull(values, "values").clone();
        this.classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
        this.modalityWeights = Collections.unmodifiableMap(
                new LinkedHashMap<>(Objects.requireNonNull(modalityWeights, "modalityWeights")));
        if (task == Task.CLASSIFICATION && this.classes.size() != values.length) {
            throw new IllegalArgumentException(
                    values.length + " probabilities but " + this.classes.size() + " class names " + this.classes);
        }
        if (task == Task.REGRESSION && values.length != 1) {
            throw new IllegalArgumentException("a regression output has one value, not " + values.length);
        }
    }

    /** @return regression or classification */
    public Task task() {
        return task;
    }

    /** @return a copy of the raw output: the prediction (regression), or the class probabilities in class order */
    public float[] values() {
        return values.clone();
    }

    /** @return the class names in output order (classification), empty for regression */
    public List<String> classes() {
        return classes;
    }

    /**
     * @return the regression prediction, on the label's scale
     * @throws BtwException on a classification output (use {@link #predictedClass()} or {@link #probabilities()})
     */
    public float value() {
        if (task != Task.REGRESSION) {
            throw new BtwException("value() is for regression; this classification output holds probabilities of "
                    + classes + ": use predictedClass(), predictedIndex() or probabilities()");
        }
        return values[0];
    }

    /**
     * @return the regression prediction
     * @throws BtwException on a classification output
     * @deprecated use {@link #value()}; on classification this no longer returns the first class's probability
     */
    @Deprecated
    public float prediction() {
        return value();
    }

    /**
     * @return class name to probability, in the model's class order
     * @throws BtwException on a regression output
     */
    public Map<String, Float> probabilities() {
        requireClassification("probabilities()");
        Map<String, Float> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            out.put(classes.get(i), values[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param className a class name, one of {@link #classes()}
     * @return its probability
     * @throws BtwException on a regression output or an unknown class name
     */
    public float probability(String className) {
        requireClassification("probability(String)");
        int i = classes.indexOf(className);
        if (i < 0) {
            throw new BtwException("no class '" + className + "'; the model's classes are " + classes);
        }
        return values[i];
    }

    /**
     * @return the index of the most probable class (the first on a tie), from 0 in {@link #classes()} order
     * @throws BtwException on a regression output
     */
    public int predictedIndex() {
        requireClassification("predictedIndex()");
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * @return the name of the most probable class
     * @throws BtwException on a regression output
     */
    public String predictedClass() {
        return classes.get(predictedIndex());
    }

    /**
     * @return the weight the model gave each modality for this instance, by name in input order (0 = missing);
     *     empty when the file has no {@code modality_weights} output
     */
    public Map<String, Float> modalityWeights() {
        return modalityWeights;
    }

    /**
     * @param modality a modality name
     * @return the weight the model gave it for this instance
     * @throws BtwException for a modality the model does not have, or a file without modality weights
     */
    public float weightOf(String modality) {
        Float w = modalityWeights.get(modality);
        if (w == null) {
            throw new BtwException(
                    modalityWeights.isEmpty()
                            ? "this model file has no modality_weights output; re-export it with this btw version"
                            : "no modality '" + modality + "'; the model's modalities are " + modalityWeights.keySet());
        }
        return w;
    }

    private void requireClassification(String what) {
        if (task != Task.CLASSIFICATION) {
            throw new BtwException(
                    what + " is for classification; this regression output holds one value: use value()");
        }
    }

    /** @return e.g. {@code FusionOutput[class pos (p=0.955) of [neg, neu, pos], weights {text=0.71, audio=0.29}]} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FusionOutput[");
        if (task == Task.CLASSIFICATION) {
            int best = predictedIndex();
            sb.append("class ")
                    .append(classes.get(best))
                    .append(String.format(Locale.ROOT, " (p=%.3f)", values[best]))
                    .append(" of ")
                    .append(classes);
        } else {
            sb.append(String.format(Locale.ROOT, "value %.6g", values[0]));
        }
        if (!modalityWeights.isEmpty()) {
            sb.append(", weights {");
            String sep = "";
            for (Map.Entry<String, Float> e : modalityWeights.entrySet()) {
                sb.append(sep).append(e.getKey()).append('=').append(String.format(Locale.ROOT, "%.3g", e.getValue()));
                sep = ", ";
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }
}

package dev.btw.app.run;

import dev.btw.core.data.Split;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one trained model (one method and seed): metric name to value, for every split.
 *
 * @param bySplit split to metric name to value, in split order
 */
public record SplitMetrics(Map<Split, Map<String, Double>> bySplit) {

    /** Copies the values, keeping each split's metric order. */
    public SplitMetrics {
        EnumMap<Split, Map<String, Double>> copy = new EnumMap<>(Split.class);
        bySplit.forEach((s, m) -> copy.put(s, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        bySplit = Collections.unmodifiableMap(copy);
    }

    /**
     * @param split a split
     * @return metric name to value on that split (empty when the split was not scored)
     */
    public Map<String, Double> get(Split split) {
        return bySplit.getOrDefault(split, Map.of());
    }
}

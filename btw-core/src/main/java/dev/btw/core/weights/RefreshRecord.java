package dev.btw.core.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a {@link WeightsHistory}: a refresh's index (from 1), the epoch after which it ran, the
 * smoothing factor s it used, the modality shares mu^m, the mean weight per modality, and the smoothed weights.
 *
 * @param index the refresh number, from 1
 * @param epoch the epoch after which the refresh ran
 * @param smoothing the EMA factor s used
 * @param rule the combination rule, as its name
 * @param shares mu^m by modality name
 * @param meanWeights mean W^m over present instances, by modality name
 * @param weights the weights table W
 */
public record RefreshRecord(
        int index,
        int epoch,
        double smoothing,
        String rule,
        Map<String, Double> shares,
        Map<String, Double> meanWeights,
        ModalityWeights weights) {

    /** Copies the maps. */
    public RefreshRecord {
        shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        meanWeights = Collections.unmodifiableMap(new LinkedHashMap<>(meanWeights));
    }
}

package dev.btw.core.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a {@link WeightsHistory}: a refresh's index (from 1), the epoch after which it ran (epochs count
 * from 1), the smoothing factor s it used, the modality shares mu^m, the mean weight per modality, and the
 * smoothed weights.
 *
 * <p>{@code history.last().shares()} are the last refresh's mu^m (summing to 1: how much label information each
 * modality carries); {@code meanWeights()} the mean training weight per modality over the instances that have it
 * (what the model was trained under, and the {@code modality-prior} inference weights); {@code weights()} the
 * whole table, per instance ({@link ModalityWeights#forInstance(String)}).
 *
 * @param index the refresh number, from 1
 * @param epoch the epoch after which the refresh ran, from 1
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

    /**
     * @return e.g. {@code RefreshRecord[#3 after epoch 5, exp(-kl)*mi, s=0.300, shares {text=0.712, audio=0.288},
     *     mean weight {text=1.21, audio=0.79}, 120 instances]}
     */
    @Override
    public String toString() {
        return "RefreshRecord[#" + index + " after epoch " + epoch + ", " + rule + ", s="
                + ShareFormat.number(smoothing) + ", shares " + ShareFormat.of(shares) + ", mean weight "
                + ShareFormat.of(meanWeights) + ", "
                + ShareFormat.count(weights == null ? 0 : weights.size(), "instance") + "]";
    }
}

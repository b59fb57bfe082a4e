package dev.btw.core.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code train} section.
 *
 * @param epochs the most epochs
 * @param batch instances per step
 * @param lr Adam's learning rate
 * @param weightDecay Adam's weight decay
 * @param clip the gradient-norm clip
 * @param patience epochs without validation improvement before early stopping
 * @param lrFactor ReduceLROnPlateau's factor
 * @param lrPatience ReduceLROnPlateau's patience
 * @param seeds one training run per seed
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param threads intra-op threads; 0 means the engine's default
 */
public record TrainConfig(
        int epochs,
        int batch,
        double lr,
        double weightDecay,
        double clip,
        int patience,
        double lrFactor,
        int lrPatience,
        List<Integer> seeds,
        String device,
        int threads) {

    @SuppressWarnings("unchecked")
    static TrainConfig of(Map<String, Object> m) {
        return new TrainConfig(
                (Integer) m.get("epochs"),
                (Integer) m.get("batch"),
                (Double) m.get("lr"),
                (Double) m.get("weight_decay"),
                (Double) m.get("clip"),
                (Integer) m.get("patience"),
                (Double) m.get("lr_factor"),
                (Integer) m.get("lr_patience"),
                List.copyOf((List<Integer>) m.get("seeds")),
                (String) m.get("device"),
                (Integer) m.get("threads"));
    }
}

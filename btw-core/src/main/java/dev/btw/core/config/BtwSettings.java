package dev.btw.core.config;

import java.util.Map;

/**
 * The {@code btw} section: how weights are computed, refreshed, smoothed and used at inference.
 *
 * @param rule the combination rule ({@code kl*mi}, {@code exp(-kl)*mi}, {@code kl}, {@code mi}, {@code cc},
 *     {@code kl*cc}, {@code uniform})
 * @param sigma the regression sigma policy, {@code residual} or {@code global}
 * @param sigmaMin the sigma floor as a multiple of the train label standard deviation
 * @param k neighbours of the KSG estimator
 * @param trigger {@code val-improved} or {@code every-epoch}
 * @param inference the label-free policy for val, test and export: {@code modality-prior}, {@code instance},
 *     {@code uniform}
 * @param smoothingInitial the EMA factor s0
 * @param smoothingStep the EMA factor's step
 * @param scale {@code sum-to-one} (the reference) or {@code mean-one}
 * @param seed the seed of the MI estimator's jitter
 * @param references which reference predictions KL and MI use: {@code in-sample}, {@code out-of-fold},
 *     {@code validation}
 * @param folds the folds of {@code out-of-fold}
 * @param foldGroup the manifest column whose groups folds keep together, or null
 */
public record BtwSettings(String rule, String sigma, double sigmaMin, int k, String trigger, String inference,
        double smoothingInitial, double smoothingStep, String scale, int seed, String references, int folds,
        String foldGroup) {

    @SuppressWarnings("unchecked")
    static BtwSettings of(Map<String, Object> m) {
        Map<String, Object> s = (Map<String, Object>) m.get("smoothing");
        return new BtwSettings((String) m.get("rule"), (String) m.get("sigma"), (Double) m.get("sigma_min"),
                (Integer) m.get("k"), (String) m.get("trigger"), (String) m.get("inference"),
                (Double) s.get("initial"), (Double) s.get("step"), (String) m.get("scale"), (Integer) m.get("seed"),
                (String) m.get("references"), (Integer) m.get("folds"), (String) m.get("fold_group"));
    }
}

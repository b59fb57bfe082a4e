package dev.btw.djl.train;

import dev.btw.core.config.BtwSettings;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.WeightScale;

/**
 * How a fusion run weights its modalities (docs/METHOD.md): the combination rule ({@code null}: all weights stay
 * 1, the {@code uniform} baseline), the sigma policy and floor, the MI estimator's neighbours and seed, the
 * trigger, the label-free inference policy, the EMA smoothing and the scale.
 *
 * @param rule the combination rule, or null for fixed unit weights
 * @param sigma the regression sigma policy
 * @param sigmaMin the sigma floor as a multiple of the train label standard deviation
 * @param neighbours k of the KSG estimator
 * @param everyEpoch true for the {@code every-epoch} trigger, false for {@code val-improved}
 * @param inference the policy for val, test and export
 * @param smoothingInitial s0
 * @param smoothingStep the step of s
 * @param scale sum-to-one or mean-one
 * @param seed the MI estimator's seed
 */
public record BtwOptions(CombinationRule rule, SigmaPolicy sigma, double sigmaMin, int neighbours,
        boolean everyEpoch, InferencePolicy inference, double smoothingInitial, double smoothingStep,
        WeightScale scale, long seed) {

    /**
     * @param s the config's btw section
     * @param rule the rule of the method being trained (null for {@code uniform})
     * @return the options
     */
    public static BtwOptions of(BtwSettings s, CombinationRule rule) {
        return new BtwOptions(rule, SigmaPolicy.parse(s.sigma()), s.sigmaMin(), s.k(),
                "every-epoch".equals(s.trigger()), InferencePolicy.parse(s.inference()), s.smoothingInitial(),
                s.smoothingStep(), WeightScale.parse(s.scale()), s.seed());
    }

    /** @return whether weights are refreshed (a BTW rule other than uniform) */
    public boolean refreshes() {
        return rule != null && rule != CombinationRule.UNIFORM;
    }
}

package dev.btw.djl.training;

import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.RefreshTrigger;
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
public record BtwOptions(
        CombinationRule rule,
        SigmaPolicy sigma,
        double sigmaMin,
        int neighbours,
        boolean everyEpoch,
        InferencePolicy inference,
        double smoothingInitial,
        double smoothingStep,
        WeightScale scale,
        long seed) {

    /**
     * @param s the config's btw section
     * @param rule the rule of the method being trained (null for {@code uniform})
     * @return the options
     */
    public static BtwOptions of(BtwSettings s, CombinationRule rule) {
        return new BtwOptions(
                rule,
                s.sigma(),
                s.sigmaMin(),
                s.k(),
                s.trigger() == RefreshTrigger.EVERY_EPOCH,
                s.inference(),
                s.smoothingInitial(),
                s.smoothingStep(),
                s.scale(),
                s.seed());
    }

    /**
     * The defaults of a config's {@code btw} section ({@link ConfigDefaults#BTW}: residual sigma, floor 1e-3,
     * k = 3, {@code val-improved}, {@code modality-prior}, smoothing 0.5 / 0.05, sum-to-one, seed 0) with a given
     * rule.
     *
     * @param rule the combination rule, or null for fixed unit weights
     * @return the options
     */
    public static BtwOptions defaults(CombinationRule rule) {
        return of(ConfigDefaults.BTW, rule);
    }

    /**
     * @param newRule another rule
     * @return these options with that rule
     */
    public BtwOptions withRule(CombinationRule newRule) {
        return new BtwOptions(
                newRule,
                sigma,
                sigmaMin,
                neighbours,
                everyEpoch,
                inference,
                smoothingInitial,
                smoothingStep,
                scale,
                seed);
    }

    /**
     * @param every true for the {@code every-epoch} trigger, false for {@code val-improved}
     * @return these options with that trigger
     */
    public BtwOptions withEveryEpoch(boolean every) {
        return new BtwOptions(
                rule, sigma, sigmaMin, neighbours, every, inference, smoothingInitial, smoothingStep, scale, seed);
    }

    /** @return whether weights are refreshed (a BTW rule other than uniform) */
    public boolean refreshes() {
        return rule != null && rule != CombinationRule.UNIFORM;
    }
}

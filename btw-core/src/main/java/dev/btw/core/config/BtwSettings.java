package dev.btw.core.config;

import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightScale;
import java.util.Map;

/**
 * The {@code btw} section: how weights are computed, refreshed, smoothed and used at inference. The config's
 * strings are parsed once, here, after {@link ConfigValidator} has checked them.
 *
 * @param rule the combination rule (default {@link CombinationRule#CONFIG_DEFAULT}, {@code exp(-kl)*mi})
 * @param sigma the regression sigma policy
 * @param sigmaMin the sigma floor as a multiple of the train label standard deviation
 * @param k neighbours of the KSG estimator
 * @param trigger when weights are refreshed
 * @param inference the label-free policy for val, test and export
 * @param smoothingInitial the EMA factor s0
 * @param smoothingStep the EMA factor's step
 * @param scale the scale of the weights of an instance ({@code mean-one}, the default, or the reference's
 *     {@code sum-to-one})
 * @param seed the seed of the MI estimator's jitter
 * @param references which reference predictions KL and MI use
 * @param folds the folds of {@code out-of-fold}
 * @param foldGroup the manifest column whose groups folds keep together, or null
 */
public record BtwSettings(
        CombinationRule rule,
        SigmaPolicy sigma,
        double sigmaMin,
        int k,
        RefreshTrigger trigger,
        InferencePolicy inference,
        double smoothingInitial,
        double smoothingStep,
        WeightScale scale,
        int seed,
        ReferencePolicy references,
        int folds,
        String foldGroup) {

    /**
     * @param newRule another combination rule, or null for unit weights (no refresh: a reference or {@code uniform})
     * @return these settings with that rule
     */
    public BtwSettings withRule(CombinationRule newRule) {
        return with(newRule, trigger, scale);
    }

    /**
     * @param newTrigger another refresh trigger
     * @return these settings with that trigger
     */
    public BtwSettings withTrigger(RefreshTrigger newTrigger) {
        return with(rule, newTrigger, scale);
    }

    /**
     * @param newScale another scale of one instance's weights ({@link WeightScale#SUM_TO_ONE} reproduces the
     *     reference)
     * @return these settings with that scale
     */
    public BtwSettings withScale(WeightScale newScale) {
        return with(rule, trigger, newScale);
    }

    /** The one copy behind the {@code with*} methods: the other components stay as they are. */
    private BtwSettings with(CombinationRule newRule, RefreshTrigger newTrigger, WeightScale newScale) {
        return new BtwSettings(
                newRule,
                sigma,
                sigmaMin,
                k,
                newTrigger,
                inference,
                smoothingInitial,
                smoothingStep,
                newScale,
                seed,
                references,
                folds,
                foldGroup);
    }

    /** @return whether these settings refresh weights at all (a rule other than {@code uniform} is set) */
    public boolean refreshes() {
        return rule != null && rule != CombinationRule.UNIFORM;
    }

    @SuppressWarnings("unchecked")
    static BtwSettings of(Map<String, Object> m) {
        Map<String, Object> s = (Map<String, Object>) m.get("smoothing");
        return new BtwSettings(
                CombinationRule.parse((String) m.get("rule")),
                SigmaPolicy.parse((String) m.get("sigma")),
                (Double) m.get("sigma_min"),
                (Integer) m.get("k"),
                RefreshTrigger.parse((String) m.get("trigger")),
                InferencePolicy.parse((String) m.get("inference")),
                (Double) s.get("initial"),
                (Double) s.get("step"),
                WeightScale.parse((String) m.get("scale")),
                (Integer) m.get("seed"),
                ReferencePolicy.parse((String) m.get("references")),
                (Integer) m.get("folds"),
                (String) m.get("fold_group"));
    }
}

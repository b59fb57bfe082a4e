package dev.btw.core.weights;

import dev.btw.core.BtwException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one BTW refresh computed: the per-instance normalised divergences k_i^m, the modality shares mu^m (mutual
 * information, or correlation for the {@code cc} rules, floored and normalised to sum to 1), the raw estimates
 * before flooring, and the target weights f_i^m (0 where a modality is missing). Everything is keyed by
 * modality name.
 *
 * <p>Reading it: {@code result.shares().get("audio")} is audio's share mu^m of the modality-level evidence (the
 * shares sum to 1 over the modalities; a larger share, a more informative modality);
 * {@code result.targets().weightOf(id, "audio")} is the weight the refresh aims at for one instance before the
 * EMA smoothing ({@code result.targets().means()} the mean per modality); {@code result.divergenceShares("audio")}
 * holds k_i^m per instance in {@link #ids()} order. {@link #toString()} prints the rule, the size and the shares.
 */
public final class RefreshResult {

    private final CombinationRule rule;
    private final List<String> ids;
    private final Map<String, double[]> divergenceShares;
    private final Map<String, Double> shares;
    private final Map<String, Double> rawDependence;
    private final ModalityWeights targets;

    RefreshResult(
            CombinationRule rule,
            List<String> ids,
            Map<String, double[]> divergenceShares,
            Map<String, Double> shares,
            Map<String, Double> rawDependence,
            ModalityWeights targets) {
        this.rule = rule;
        this.ids = List.copyOf(ids);
        this.divergenceShares = divergenceShares;
        this.shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        this.rawDependence = Collections.unmodifiableMap(new LinkedHashMap<>(rawDependence));
        this.targets = targets;
    }

    /** @return the combination rule used */
    public CombinationRule rule() {
        return rule;
    }

    /** @return the instance ids, in input order */
    public List<String> ids() {
        return ids;
    }

    /** @return the modality names, in input order */
    public List<String> modalities() {
        return targets.modalities();
    }

    /**
     * @param modality a modality name
     * @return k_i^m for every instance (a copy), 0 where the modality is missing
     */
    public double[] divergenceShares(String modality) {
        double[] k = divergenceShares.get(modality);
        if (k == null) {
            throw new BtwException("no modality '" + modality + "' in this refresh");
        }
        return k.clone();
    }

    /**
     * @return mu^m by modality name, summing to 1: normalised mutual information for the mutual-information
     *     rules, normalised correlation for {@code cc} and {@code kl*cc}, equal shares for {@code kl} and
     *     {@code uniform} (which use no modality-level factor)
     */
    public Map<String, Double> shares() {
        return shares;
    }

    /**
     * @return the estimates behind {@link #shares()} before flooring and normalisation (nats for mutual
     *     information, r for correlation); NaN for rules without a modality-level factor
     */
    public Map<String, Double> rawDependence() {
        return rawDependence;
    }

    /** @return the target weights f_i^m, renormalised over present modalities, 0 for missing ones */
    public ModalityWeights targets() {
        return targets;
    }

    /**
     * @return e.g. {@code RefreshResult[exp(-kl)*mi, 120 instances, shares {text=0.712, audio=0.288}, mean target
     *     {text=1.21, audio=0.79}]}
     */
    @Override
    public String toString() {
        return "RefreshResult[" + rule + ", " + ShareFormat.count(ids.size(), "instance") + ", shares "
                + ShareFormat.of(shares) + ", mean target " + ShareFormat.of(targets.means()) + "]";
    }
}

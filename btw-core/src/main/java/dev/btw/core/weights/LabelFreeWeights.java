package dev.btw.core.weights;

import dev.btw.core.BtwException;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.divergence.SigmaPolicy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Weights where labels do not exist (validation, test, inference), by an {@link InferencePolicy}:
 * <ul>
 *   <li>{@code modality-prior}: w^m = the mean training weight of m over the instances where it was present;</li>
 *   <li>{@code instance}: a label-free refresh per instance against the fused prediction made under the modality
 *       prior (Gaussian KL with the global sigmas for regression, categorical KL for classification), combined
 *       with the training shares mu^m by the training rule, without EMA;</li>
 *   <li>{@code uniform}: 1.</li>
 * </ul>
 * A modality missing for an instance (NaN prediction, null probability row) always gets 0. Configure with
 * {@link #builder(InferencePolicy)}.
 */
public final class LabelFreeWeights {

    private final InferencePolicy policy;
    private final Map<String, Double> prior;
    private final BtwRefresh instanceRefresh;

    private LabelFreeWeights(Builder b) {
        this.policy = b.policy;
        if (policy == InferencePolicy.MODALITY_PRIOR) {
            if (b.trainingWeights == null) {
                throw new BtwException("the modality-prior policy needs the training weights");
            }
            this.prior = b.trainingWeights.means();
        } else {
            this.prior = null;
        }
        if (policy == InferencePolicy.INSTANCE) {
            if (b.trainingShares == null) {
                throw new BtwException("the instance policy needs the training modality shares");
            }
            BtwRefresh.Builder rb = BtwRefresh.builder()
                    .optRule(b.rule)
                    .optScale(b.scale)
                    .optFixedShares(b.trainingShares)
                    .optSigmaPolicy(SigmaPolicy.GLOBAL);
            if (b.sigmas != null) {
                rb.optGlobalSigmas(b.sigmas);
            }
            if (b.sigmaFloor > 0) {
                rb.optSigmaFloor(b.sigmaFloor);
            }
            this.instanceRefresh = rb.build();
        } else {
            this.instanceRefresh = null;
        }
    }

    /**
     * @param policy the inference policy
     * @return a builder
     */
    public static Builder builder(InferencePolicy policy) {
        return new Builder(policy);
    }

    /** @return the policy */
    public InferencePolicy policy() {
        return policy;
    }

    /**
     * Regression weights.
     *
     * @param ids instance ids
     * @param unimodal unimodal predictions by modality name, NaN where missing
     * @param fused the fused prediction under the modality prior; needed only by the instance policy (may be
     *     null otherwise)
     * @return the weights, 0 for missing modalities
     */
    public ModalityWeights regression(List<String> ids, Map<String, double[]> unimodal, double[] fused) {
        if (policy == InferencePolicy.INSTANCE) {
            Objects.requireNonNull(fused, "the instance policy needs the fused prediction");
            return instanceRefresh.regression(ids, unimodal, fused, null).targets();
        }
        Map<String, boolean[]> presence = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : unimodal.entrySet()) {
            boolean[] p = new boolean[ids.size()];
            double[] v = e.getValue();
            if (v.length != ids.size()) {
                throw new BtwException("predictions of modality '" + e.getKey() + "' have " + v.length + " values for "
                        + ids.size() + " instance ids");
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = !Double.isNaN(v[i]);
            }
            presence.put(e.getKey(), p);
        }
        return fromPresence(ids, presence);
    }

    /**
     * Classification weights.
     *
     * @param ids instance ids
     * @param unimodal class probabilities by modality name, a null row (or NaN) where missing
     * @param fused the fused probabilities under the modality prior; needed only by the instance policy
     * @return the weights, 0 for missing modalities
     */
    public ModalityWeights classification(List<String> ids, Map<String, double[][]> unimodal, double[][] fused) {
        if (policy == InferencePolicy.INSTANCE) {
            Objects.requireNonNull(fused, "the instance policy needs the fused probabilities");
            return instanceRefresh.classification(ids, unimodal, fused).targets();
        }
        Map<String, boolean[]> presence = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : unimodal.entrySet()) {
            boolean[] p = new boolean[ids.size()];
            double[][] v = e.getValue();
            if (v.length != ids.size()) {
                throw new BtwException("probabilities of modality '" + e.getKey() + "' have " + v.length + " rows for "
                        + ids.size() + " instance ids");
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = v[i] != null && Arrays.stream(v[i]).noneMatch(Double::isNaN);
            }
            presence.put(e.getKey(), p);
        }
        return fromPresence(ids, presence);
    }

    /**
     * Weights from presence alone, for the modality-prior and uniform policies.
     *
     * @param ids instance ids
     * @param presence by modality name, whether the modality is present for each instance
     * @return the weights, 0 for missing modalities
     * @throws BtwException for the instance policy, or a modality the training weights do not know
     */
    public ModalityWeights fromPresence(List<String> ids, Map<String, boolean[]> presence) {
        if (policy == InferencePolicy.INSTANCE) {
            throw new BtwException("the instance policy needs predictions, not only presence");
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (Map.Entry<String, boolean[]> e : presence.entrySet()) {
            double w = 1.0;
            if (policy == InferencePolicy.MODALITY_PRIOR) {
                Double mean = prior.get(e.getKey());
                if (mean == null) {
                    throw new BtwException(
                            "the training weights have no modality '" + e.getKey() + "'; have " + prior.keySet());
                }
                // A modality never present in training has no prior; it then weighs 1.
                w = mean.isNaN() ? 1.0 : mean;
            }
            boolean[] p = e.getValue();
            double[] c = new double[ids.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = p[i] ? w : 0.0;
            }
            cols.put(e.getKey(), c);
        }
        return new ModalityWeights(ids, cols);
    }

    /** @return the modality prior w^m by name (modality-prior policy), or null for other policies */
    public Map<String, Double> prior() {
        return prior;
    }

    /** Configures {@link LabelFreeWeights}; which settings are needed depends on the policy. */
    public static final class Builder {
        private final InferencePolicy policy;
        private ModalityWeights trainingWeights;
        private Map<String, Double> trainingShares;
        private CombinationRule rule = CombinationRule.KL_MI;
        private WeightScale scale = WeightScale.SUM_TO_ONE;
        private GlobalSigmas sigmas;
        private double sigmaFloor = Double.NaN;

        private Builder(InferencePolicy policy) {
            this.policy = Objects.requireNonNull(policy);
        }

        /**
         * @param weights the training weights W at the selected checkpoint (modality-prior)
         * @return this builder
         */
        public Builder setTrainingWeights(ModalityWeights weights) {
            this.trainingWeights = weights;
            return this;
        }

        /**
         * @param shares the training modality shares mu^m (instance)
         * @return this builder
         */
        public Builder setTrainingShares(Map<String, Double> shares) {
            this.trainingShares = shares;
            return this;
        }

        /**
         * @param sigmas the unimodal and fused train RMS residuals (instance, regression)
         * @return this builder
         */
        public Builder setGlobalSigmas(GlobalSigmas sigmas) {
            this.sigmas = sigmas;
            return this;
        }

        /**
         * @param rule the training combination rule (instance; default {@code kl*mi})
         * @return this builder
         */
        public Builder optRule(CombinationRule rule) {
            this.rule = Objects.requireNonNull(rule);
            return this;
        }

        /**
         * @param scale the training weight scale (instance; default sum-to-one)
         * @return this builder
         */
        public Builder optScale(WeightScale scale) {
            this.scale = Objects.requireNonNull(scale);
            return this;
        }

        /**
         * @param floor sigma_min from training (instance, regression; default 1e-3 times the standard deviation
         *     of the fused predictions)
         * @return this builder
         */
        public Builder optSigmaFloor(double floor) {
            this.sigmaFloor = floor;
            return this;
        }

        /** @return the configured weights */
        public LabelFreeWeights build() {
            return new LabelFreeWeights(this);
        }
    }
}

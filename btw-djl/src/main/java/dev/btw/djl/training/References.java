package dev.btw.djl.training;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.weights.ReferencePolicy;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The unimodal references' predictions, per modality and split, aligned with the split's instances (NaN or a
 * null row where the modality is missing), and their train RMS residuals sigma_m (regression).
 *
 * <p>Under the {@link ReferencePolicy#OUT_OF_FOLD out-of-fold} policy it also holds each reference's
 * cross-fitted train predictions ({@link #putOutOfFold}); BTW's divergence and mutual information then read
 * those ({@link #regressionForWeights()}, {@link #classificationForWeights()}), while {@link #get},
 * {@code late-average}, the val and test weights and the reports keep the references trained on the whole train
 * split.
 */
public final class References {

    private final Map<String, Map<Split, Predictions>> predictions = new LinkedHashMap<>();
    private final Map<String, Double> sigmas = new LinkedHashMap<>();
    private final Map<String, Predictions> outOfFold = new LinkedHashMap<>();
    private final Map<String, Double> outOfFoldSigmas = new LinkedHashMap<>();
    private ReferencePolicy policy = ReferencePolicy.IN_SAMPLE;

    /**
     * @param policy which train predictions BTW's divergence and MI use (default in-sample)
     * @return this
     */
    public References withPolicy(ReferencePolicy policy) {
        this.policy = Objects.requireNonNull(policy);
        return this;
    }

    /** @return the reference policy */
    public ReferencePolicy policy() {
        return policy;
    }

    /**
     * Records a reference's cross-fitted train predictions: each from a fold model that did not see the instance.
     *
     * @param modality the modality (already {@link #put})
     * @param train its out-of-fold predictions, aligned with the train split (missing rows as in {@link #put})
     * @param sigma their RMS residual (NaN for classification)
     */
    public void putOutOfFold(String modality, Predictions train, double sigma) {
        outOfFold.put(modality, train);
        outOfFoldSigmas.put(modality, sigma);
    }

    /**
     * @param modality a modality
     * @return its out-of-fold train predictions, or null when none were recorded
     */
    public Predictions outOfFold(String modality) {
        return outOfFold.get(modality);
    }

    /**
     * The train predictions BTW's refresh uses under the policy: out-of-fold ones for {@code out-of-fold}, the
     * in-sample ones otherwise.
     *
     * @param modality a modality
     * @return its train predictions for the weights
     * @throws dev.btw.core.BtwException under {@code out-of-fold} when none were recorded for the modality
     */
    public Predictions trainForWeights(String modality) {
        if (policy != ReferencePolicy.OUT_OF_FOLD) {
            return get(modality, Split.TRAIN);
        }
        Predictions p = outOfFold.get(modality);
        if (p == null) {
            throw new BtwException("btw.references is out-of-fold but the reference of modality '" + modality
                    + "' has no out-of-fold train predictions");
        }
        return p;
    }

    /** @return train regression predictions by modality for the refresh (see {@link #trainForWeights}) */
    public Map<String, double[]> regressionForWeights() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String m : predictions.keySet()) {
            out.put(m, trainForWeights(m).regression());
        }
        return out;
    }

    /** @return train class probabilities by modality for the refresh (see {@link #trainForWeights}) */
    public Map<String, double[][]> classificationForWeights() {
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (String m : predictions.keySet()) {
            out.put(m, trainForWeights(m).values());
        }
        return out;
    }

    /** @return sigma_m by modality for the refresh: the out-of-fold residuals under {@code out-of-fold} */
    public Map<String, Double> sigmasForWeights() {
        return policy == ReferencePolicy.OUT_OF_FOLD && outOfFoldSigmas.keySet().containsAll(sigmas.keySet())
                ? new LinkedHashMap<>(outOfFoldSigmas)
                : sigmas();
    }

    /**
     * @param modality the modality
     * @param bySplit its reference's predictions on every split
     * @param sigma its train RMS residual (NaN for classification)
     */
    public void put(String modality, Map<Split, Predictions> bySplit, double sigma) {
        if (modality == null || bySplit == null) {
            throw new IllegalArgumentException("References.put needs the modality and its predictions by split");
        }
        predictions.put(modality, new EnumMap<>(bySplit));
        sigmas.put(modality, sigma);
    }

    /**
     * Records a classification reference's predictions: classification has no sigma (it is a regression
     * setting), so this is {@link #put(String, Map, double)} without one.
     *
     * @param modality the modality
     * @param bySplit its reference's predictions on every split, rows aligned with the split (null: missing)
     */
    public void put(String modality, Map<Split, Predictions> bySplit) {
        put(modality, bySplit, Double.NaN);
    }

    /** @return the modalities, in insertion order */
    public List<String> modalities() {
        return List.copyOf(predictions.keySet());
    }

    /**
     * @param modality a modality
     * @param split a split
     * @return the reference's predictions
     */
    public Predictions get(String modality, Split split) {
        return predictions.get(modality).get(split);
    }

    /** @return sigma_m by modality */
    public Map<String, Double> sigmas() {
        return new LinkedHashMap<>(sigmas);
    }

    /**
     * @param split a split
     * @return regression predictions by modality, NaN where missing
     */
    public Map<String, double[]> regression(Split split) {
        Map<String, double[]> out = new LinkedHashMap<>();
        predictions.forEach((m, s) -> out.put(m, s.get(split).regression()));
        return out;
    }

    /**
     * @param split a split
     * @return class probabilities by modality, null rows where missing
     */
    public Map<String, double[][]> classification(Split split) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        predictions.forEach((m, s) -> out.put(m, s.get(split).values()));
        return out;
    }

    /**
     * The {@code late-average} baseline: the mean of the present references' predictions (values or
     * probabilities).
     *
     * @param split a split
     * @param task the task
     * @param ids the split's ids
     * @return the averaged predictions (null rows where no modality is present)
     */
    public Predictions lateAverage(Split split, Task task, List<String> ids) {
        int n = ids.size();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] sum = null;
            int count = 0;
            for (Map<Split, Predictions> s : predictions.values()) {
                Predictions p = s.get(split);
                if (p.has(i)) {
                    if (sum == null) {
                        sum = new double[p.values()[i].length];
                    }
                    for (int c = 0; c < sum.length; c++) {
                        sum[c] += p.values()[i][c];
                    }
                    count++;
                }
            }
            if (sum != null) {
                for (int c = 0; c < sum.length; c++) {
                    sum[c] /= count;
                }
            }
            out[i] = sum;
        }
        return new Predictions(ids, out);
    }

    @Override
    public String toString() {
        return "References[" + policy + ", modalities " + predictions.keySet() + ", splits "
                + (predictions.isEmpty()
                        ? "[]"
                        : predictions.values().iterator().next().keySet()) + "]";
    }
}

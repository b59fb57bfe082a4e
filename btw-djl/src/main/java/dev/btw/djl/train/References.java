package dev.btw.djl.train;

import dev.btw.core.Task;
import dev.btw.core.data.Split;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unimodal references' predictions, per modality and split, aligned with the split's instances (NaN or a
 * null row where the modality is missing), and their train RMS residuals sigma_m (regression).
 */
public final class References {

    private final Map<String, Map<Split, Predictions>> predictions = new LinkedHashMap<>();
    private final Map<String, Double> sigmas = new LinkedHashMap<>();

    /**
     * @param modality the modality
     * @param bySplit its reference's predictions on every split
     * @param sigma its train RMS residual (NaN for classification)
     */
    public void put(String modality, Map<Split, Predictions> bySplit, double sigma) {
        predictions.put(modality, new EnumMap<>(bySplit));
        sigmas.put(modality, sigma);
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
}

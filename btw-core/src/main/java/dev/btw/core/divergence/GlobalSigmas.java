package dev.btw.core.divergence;

import dev.btw.core.BtwException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label-free widths of the {@link SigmaPolicy#GLOBAL} policy: each unimodal model's train RMS residual
 * sigma_m, keyed by modality name, and the fused model's train RMS residual.
 *
 * @param unimodal sigma_m by modality name
 * @param fused the fused model's sigma
 */
public record GlobalSigmas(Map<String, Double> unimodal, double fused) {

    /** Copies the map and checks that every sigma is a finite, non-negative number. */
    public GlobalSigmas {
        unimodal = Collections.unmodifiableMap(new LinkedHashMap<>(unimodal));
        for (Map.Entry<String, Double> e : unimodal.entrySet()) {
            check(e.getValue(), "sigma of modality '" + e.getKey() + "'");
        }
        check(fused, "fused sigma");
    }

    /**
     * @param modality a modality name
     * @return its sigma
     * @throws BtwException when the modality has none
     */
    public double of(String modality) {
        Double s = unimodal.get(modality);
        if (s == null) {
            throw new BtwException("no global sigma for modality '" + modality + "'; have " + unimodal.keySet());
        }
        return s;
    }

    /**
     * RMS residuals on a labelled split: sigma_m over the instances where modality m is present (not NaN).
     *
     * @param unimodal unimodal predictions by modality name, NaN where missing
     * @param fused the fused predictions
     * @param labels the labels
     * @return the sigmas
     */
    public static GlobalSigmas fromResiduals(Map<String, double[]> unimodal, double[] fused, double[] labels) {
        Map<String, Double> sigmas = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : unimodal.entrySet()) {
            sigmas.put(e.getKey(), rms(e.getValue(), labels, "modality '" + e.getKey() + "'"));
        }
        return new GlobalSigmas(sigmas, rms(fused, labels, "the fused prediction"));
    }

    private static double rms(double[] prediction, double[] labels, String what) {
        if (prediction.length != labels.length) {
            throw new BtwException(
                    what + " has " + prediction.length + " predictions for " + labels.length + " labels");
        }
        double ss = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isNaN(prediction[i])) {
                double r = labels[i] - prediction[i];
                ss += r * r;
                n++;
            }
        }
        if (n == 0) {
            throw new BtwException("cannot compute the RMS residual of " + what + ": no instance has it");
        }
        return Math.sqrt(ss / n);
    }

    private static void check(Double v, String what) {
        if (v == null || !Double.isFinite(v) || v < 0) {
            throw new BtwException(what + " must be a finite non-negative number, got " + v);
        }
    }
}

package dev.btw.core.divergence;

import dev.btw.core.BtwException;

/**
 * KL(P || Q) = sum_c p_c ln(p_c / q_c) between two probability vectors, each first clamped to
 * [1e-8, 1] and renormalised to sum to 1, so that a zero probability gives a large but finite value.
 */
public final class CategoricalKl {

    /** The smallest probability used. */
    public static final double MIN_PROBABILITY = 1e-8;

    private CategoricalKl() {}

    /**
     * @param p the first distribution (the unimodal prediction)
     * @param q the second distribution (the fused prediction), with as many classes
     * @return KL(p || q) in nats
     * @throws BtwException when the lengths differ or are zero, or a value is NaN
     */
    public static double of(double[] p, double[] q) {
        int c = p.length;
        if (q.length != c || c == 0) {
            throw new BtwException("categorical KL: " + c + " classes against " + q.length);
        }
        double sp = 0;
        double sq = 0;
        for (int j = 0; j < c; j++) {
            if (Double.isNaN(p[j]) || Double.isNaN(q[j])) {
                throw new BtwException("categorical KL: probability of class " + j + " is NaN");
            }
            sp += clamp(p[j]);
            sq += clamp(q[j]);
        }
        double kl = 0;
        for (int j = 0; j < c; j++) {
            double pj = clamp(p[j]) / sp;
            double qj = clamp(q[j]) / sq;
            kl += pj * Math.log(pj / qj);
        }
        return kl;
    }

    private static double clamp(double v) {
        return Math.min(1.0, Math.max(MIN_PROBABILITY, v));
    }
}

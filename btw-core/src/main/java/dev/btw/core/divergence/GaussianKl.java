package dev.btw.core.divergence;

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)) = ln(s_q / s_p) + (s_p^2 + (mu_p - mu_q)^2) / (2 s_q^2) - 1/2.
 * Both widths are first raised to a floor {@code sigmaMin > 0}, so a zero residual cannot give an infinite
 * or NaN divergence.
 */
public final class GaussianKl {

    private GaussianKl() {}

    /**
     * @param muP the first mean (the unimodal prediction)
     * @param sigmaP the first standard deviation
     * @param muQ the second mean (the fused prediction)
     * @param sigmaQ the second standard deviation
     * @param sigmaMin the floor applied to both standard deviations, positive
     * @return the divergence in nats (NaN only for NaN input)
     */
    public static double of(double muP, double sigmaP, double muQ, double sigmaQ, double sigmaMin) {
        double sp = Math.max(sigmaP, sigmaMin);
        double sq = Math.max(sigmaQ, sigmaMin);
        double d = muP - muQ;
        return Math.log(sq / sp) + (sp * sp + d * d) / (2 * sq * sq) - 0.5;
    }
}

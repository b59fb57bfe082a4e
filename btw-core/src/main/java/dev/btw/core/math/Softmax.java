package dev.btw.core.math;

/** The softmax of one instance's logits, in double precision, shifted by the maximum so that it cannot overflow. */
public final class Softmax {

    private Softmax() {}

    /**
     * Class probabilities from logits, as training scores predictions and refreshes the weights (the exported
     * instance-weight graph is tested against this).
     *
     * @param logits one instance's logits
     * @return its probabilities, summing to 1
     */
    public static double[] of(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double s = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            s += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= s;
        }
        return p;
    }
}

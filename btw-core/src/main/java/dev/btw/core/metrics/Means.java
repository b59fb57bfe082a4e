package dev.btw.core.metrics;

/** Accurate means for the metrics: a plain sum refined by one correction pass. */
final class Means {

    private Means() {}

    /**
     * The arithmetic mean, refined by adding the mean residual; exact for constant input and accurate when the
     * values share a large offset.
     */
    static double mean(double[] values) {
        int n = values.length;
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        double correction = 0.0;
        for (double v : values) {
            correction += v - mean;
        }
        return mean + correction / n;
    }

    /** Whether every value equals the first one. */
    static boolean isConstant(double[] values) {
        for (int i = 1; i < values.length; i++) {
            if (values[i] != values[0]) {
                return false;
            }
        }
        return true;
    }
}

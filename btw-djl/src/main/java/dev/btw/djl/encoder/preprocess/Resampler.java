package dev.btw.djl.encoder.preprocess;

/**
 * Band-limited resampling by windowed-sinc interpolation (Hann window, 16 zero crossings each side, cut-off at the
 * lower of the two Nyquist frequencies). Written by hand because neither the JDK nor DJL offers a resampler, and
 * the usual Java audio libraries would add a dependency for one function.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 16;

    private Resampler() {}

    /**
     * @param in samples at {@code from} Hz
     * @param from the input rate
     * @param to the output rate
     * @return samples at {@code to} Hz ({@code in} itself when the rates are equal)
     */
    public static float[] resample(float[] in, int from, int to) {
        if (from == to || in.length == 0) {
            return in;
        }
        double ratio = (double) to / from;
        int n = (int) Math.floor(in.length * ratio);
        float[] out = new float[n];
        double cutoff = Math.min(1.0, ratio); // fraction of the input Nyquist kept
        double halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
        for (int i = 0; i < n; i++) {
            double center = i / ratio;
            int lo = (int) Math.ceil(center - halfWidth);
            int hi = (int) Math.floor(center + halfWidth);
            double acc = 0;
            double norm = 0;
            for (int j = Math.max(lo, 0); j <= Math.min(hi, in.length - 1); j++) {
                double x = (j - center) * cutoff;
                double w = 0.5 + 0.5 * Math.cos(Math.PI * (j - center) / halfWidth);
                double k = (x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x)) * w;
                acc += in[j] * k;
                norm += k;
            }
            out[i] = (float) (norm == 0 ? 0 : acc / norm);
        }
        return out;
    }
}

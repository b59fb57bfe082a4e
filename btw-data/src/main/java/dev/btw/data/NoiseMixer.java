package dev.btw.data;

import java.util.Locale;
import java.util.Random;

/**
 * Adds seeded white or pink noise at a chosen RMS level to a clip, and measures the resulting signal-to-noise
 * ratio. Pink noise uses Paul Kellet's economy filter (about -3 dB per octave). When the mix would clip it is
 * scaled down as a whole, which leaves the signal-to-noise ratio unchanged.
 */
public final class NoiseMixer {

    /** The kinds of noise. */
    public enum Kind {
        /** Flat spectrum. */
        WHITE,
        /** About -3 dB per octave. */
        PINK;

        /** @return the name as written in manifests */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The noisy clip and its signal-to-noise ratio.
     *
     * @param samples the mix
     * @param snrDb the signal-to-noise ratio in dB (positive infinity when no noise was added)
     */
    public record Mixed(float[] samples, double snrDb) {}

    private NoiseMixer() {}

    /**
     * @param clean the clean clip
     * @param kind white or pink
     * @param rms the noise's RMS level in full-scale units (0: none)
     * @param seed the noise's seed
     * @return the mix
     */
    public static Mixed mix(float[] clean, Kind kind, double rms, long seed) {
        float[] out = clean.clone();
        if (rms <= 0) {
            return new Mixed(out, Double.POSITIVE_INFINITY);
        }
        double[] noise = noise(clean.length, kind, new Random(seed));
        double nRms = rms(noise);
        double signal = 0;
        double peak = 0;
        for (int i = 0; i < out.length; i++) {
            double n = noise[i] * rms / nRms;
            signal += (double) clean[i] * clean[i];
            out[i] = (float) (clean[i] + n);
            peak = Math.max(peak, Math.abs(out[i]));
        }
        if (peak > 0.99) {
            float scale = (float) (0.99 / peak);
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
        }
        double signalRms = Math.sqrt(signal / Math.max(1, out.length));
        return new Mixed(out, 20 * Math.log10(Math.max(signalRms, 1e-9) / rms));
    }

    static double[] noise(int n, Kind kind, Random rnd) {
        double[] x = new double[n];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = rnd.nextGaussian();
            if (kind == Kind.WHITE) {
                x[i] = w;
            } else {
                b0 = 0.99765 * b0 + w * 0.0990460;
                b1 = 0.96300 * b1 + w * 0.2965164;
                b2 = 0.57000 * b2 + w * 1.0526913;
                x[i] = b0 + b1 + b2 + w * 0.1848;
            }
        }
        return x;
    }

    static double rms(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s / Math.max(1, x.length));
    }
}

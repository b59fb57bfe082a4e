package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Video as frames through the project's TorchScript digit encoder, pooled over time. */
class FramePoolingEncoderTest {

    @TempDir
    Path dir;

    @Test
    void foldersAndListsOfFramesArePooled() throws IOException {
        Path video = dir.resolve("clip");
        Files.createDirectories(video);
        Files.copy(TorchScriptEncoderTest.digit(2, 0), video.resolve("f0.png"));
        Files.copy(TorchScriptEncoderTest.digit(8, 1), video.resolve("f1.png"));
        try (Encoder image = Encoders.load(TestSpecs.spec("mnist-cnn"), TestSpecs.fetcher(), EncoderOptions.DEFAULT)) {
            List<float[]> single = image.encode(List.of(
                    EncoderInput.of("a", video.resolve("f0.png").toString()),
                    EncoderInput.of("b", video.resolve("f1.png").toString())));
            FramePoolingEncoder mean = new FramePoolingEncoder(image, false);
            FramePoolingEncoder max = new FramePoolingEncoder(image, true);
            float[] m =
                    mean.encode(List.of(EncoderInput.of("v", video.toString()))).get(0);
            float[] x = max.encode(
                            List.of(EncoderInput.of("v", video.resolve("f0.png") + ";" + video.resolve("f1.png"))))
                    .get(0);
            for (int j = 0; j < 32; j++) {
                assertEquals((single.get(0)[j] + single.get(1)[j]) / 2, m[j], 1e-4);
                assertEquals(Math.max(single.get(0)[j], single.get(1)[j]), x[j], 1e-4);
            }
            assertArrayEquals(
                    single.get(0),
                    mean.encode(List.of(EncoderInput.of(
                                    "one", video.resolve("f0.png").toString())))
                            .get(0),
                    1e-5f,
                    "one image passes through");
            assertNotEquals(mean.fingerprint(), max.fingerprint());
        }
    }
}

package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.djl.encoder.preprocess.TestClips;
import dev.btw.djl.encoder.spec.Pooling;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipEncoderTest {

    @TempDir
    Path dir;

    @Test
    void clipTensorsFollowTheSpecsLayout() throws Exception {
        Path clip = TestClips.video(dir.resolve("c.mp4"), 40, 32, 24, false);
        float[] mean = {0.5f};
        float[] std = {0.25f};
        VideoPreprocess btchw = new VideoPreprocess(4, 3, 8, 16, mean, std, "btchw");
        VideoPreprocess bcthw = new VideoPreprocess(4, 3, 8, 16, mean, std, "BCTHW");
        assertArrayEquals(new long[] {2, 4, 3, 8, 16}, btchw.shape(2));
        assertArrayEquals(new long[] {2, 3, 4, 8, 16}, bcthw.shape(2));
        float[] a = ClipEncoder.clip(clip, btchw, 600);
        float[] b = ClipEncoder.clip(clip, bcthw, 600);
        assertEquals(4 * 3 * 8 * 16, a.length);
        int plane = 8 * 16;
        int[] frames = {5, 15, 25, 35}; // 4 spread evenly over 40
        for (int t = 0; t < 4; t++) {
            float want = (TestClips.level(frames[t]) / 255f - 0.5f) / 0.25f;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p += 37) {
                    float x = a[(t * 3 + c) * plane + p];
                    assertEquals(want, x, 3 / 255f / 0.25f, "t " + t + " c " + c);
                    assertEquals(x, b[(c * 4 + t) * plane + p], 0f, "the same value in the other layout");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new VideoPreprocess(4, 3, 8, 8, mean, std, "TBCHW"));
    }

    @Test
    void aBadClipIsBadInputNamingTheInstanceAndTheFile() throws Exception {
        VideoPreprocess pre = new VideoPreprocess(4, 1, 8, 8, new float[0], new float[0], "BTCHW");
        TensorModel never = new TensorModel() {
            @Override
            public FloatTensor run(FloatTensor input) {
                throw new AssertionError("the model must not run");
            }

            @Override
            public void close() {}
        };
        try (ClipEncoder enc = new ClipEncoder("clips", "fp", never, pre, 600, new Pooling("none", new int[0]), 4)) {
            Path silent = TestClips.audio(dir.resolve("voice.mp4"), 0.5);
            EncoderException e = assertThrows(
                    EncoderException.class, () -> enc.encode(List.of(EncoderInput.of("inst-7", silent.toString()))));
            assertTrue(
                    e.getMessage().contains("instance inst-7") && e.getMessage().contains("voice.mp4"), e.getMessage());
            assertTrue(e.getMessage().contains("has no video stream"), e.getMessage());
            assertFalse(e.isInternal());
        }
    }
}

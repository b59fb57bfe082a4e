package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoMnistRecipeTest {

    private static final int[] IMAGES = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @TempDir
    Path home;

    @Test
    void planIsSeededSpeakerGroupedAndNoisyInEachModality() {
        List<VideoMnistPlan.Clip> a = VideoMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 800, 1);
        assertEquals(describe(a), describe(VideoMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 800, 1)));
        assertNotEquals(describe(a), describe(VideoMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 800, 2)));
        Map<String, Split> splitOfSpeaker = new HashMap<>();
        Map<String, Integer> kinds = new HashMap<>();
        Set<Double> videoNoise = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (VideoMnistPlan.Clip c : a) {
            assertTrue(ids.add(c.id()), c.id());
            Split before = splitOfSpeaker.putIfAbsent(
                    c.pair().voice().speaker(), c.pair().split());
            assertTrue(before == null || before == c.pair().split(), "a speaker in two splits: " + c);
            kinds.merge(c.textKind(), 1, Integer::sum);
            videoNoise.add(c.videoNoise());
            String word = " " + DigitVoice.WORDS.get("en").get(c.pair().digit()) + " ";
            switch (c.textKind()) {
                case VideoMnistPlan.CLEAN -> assertTrue(c.text().contains(word), c.text());
                case VideoMnistPlan.WRONG -> assertFalse(c.text().contains(word), c.text());
                default -> {
                    for (String w : DigitVoice.WORDS.get("en")) {
                        assertFalse((" " + c.text() + " ").contains(" " + w + " "), c.text());
                    }
                }
            }
            // the whole path stays on the canvas
            int[] d = VideoMnistPlan.DIRECTIONS[c.direction()];
            for (int t : new int[] {0, VideoMnistPlan.FRAMES - 1}) {
                int y = c.y0() + d[0] * t;
                int x = c.x0() + d[1] * t;
                assertTrue(y >= 0 && x >= 0, c.toString());
                assertTrue(y + VideoMnistPlan.DIGIT <= VideoMnistPlan.SIZE, c.toString());
                assertTrue(x + VideoMnistPlan.DIGIT <= VideoMnistPlan.SIZE, c.toString());
            }
        }
        assertEquals(Set.of(0.0, 0.2, 0.5, 1.0), videoNoise);
        assertTrue(kinds.get(VideoMnistPlan.CLEAN) > 300 && kinds.get(VideoMnistPlan.CLEAN) < 500, kinds.toString());
        assertTrue(kinds.get(VideoMnistPlan.VAGUE) > 150, kinds.toString());
        assertTrue(kinds.get(VideoMnistPlan.WRONG) > 100, kinds.toString());
        assertEquals(Set.of(Split.TRAIN, Split.VAL, Split.TEST), new HashSet<>(splitOfSpeaker.values()));
    }

    @Test
    void buildsOneMp4PerInstanceWithAMovingDigitAndASoundtrack() throws Exception {
        List<DigitVoice> real = DigitVoice.catalogue().stream()
                .filter(v -> v.kind().equals(DigitVoice.REAL))
                .toList();
        VideoMnistRecipe recipe = new VideoMnistRecipe(tools -> RecipeTestSupport.noFetching(), real);
        RecipeTestSupport.seedRaw(recipe, home, rawFiles());
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        RecipeResult r = recipe.build(home, new RecipeOptions(40, true, 7), s -> {});
        assertTrue(r.built());
        assertEquals(40, r.rows());
        assertEquals(
                40, r.splits().values().stream().mapToInt(Integer::intValue).sum());
        Manifest m = Manifest.read(
                r.manifest(), "id", "split", "label", List.of("clip", "text", "speaker", "video_noise", "audio_noise"));
        assertEquals(40, m.size());
        try (var files = Files.list(r.folder().resolve("clips"))) {
            assertEquals(40, files.count());
        }
        assertFalse(Files.exists(r.folder().resolve(".work")), "the work folder is gone");
        Map<String, Set<String>> splitsOfSpeaker = new HashMap<>();
        int checkedMotion = 0;
        for (int i = 0; i < m.size(); i++) {
            splitsOfSpeaker
                    .computeIfAbsent(m.cell(i, "speaker"), k -> new HashSet<>())
                    .add(m.cell(i, "split"));
            Path clip = r.folder().resolve(m.cell(i, "clip"));
            assertTrue(m.cell(i, "clip").endsWith(".mp4"), m.cell(i, "clip"));
            assertNotNull(m.cell(i, "text"));
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
                g.start();
                assertEquals(VideoMnistPlan.SIZE, g.getImageWidth(), clip.toString());
                assertEquals(VideoMnistPlan.SIZE, g.getImageHeight(), clip.toString());
                assertEquals(1, g.getAudioChannels(), "a mono soundtrack in " + clip);
                assertEquals(16000, g.getSampleRate(), clip.toString());
                List<double[]> centroids = new ArrayList<>();
                double loudest = 0;
                Frame f;
                while ((f = g.grab()) != null) {
                    if (f.image != null) {
                        centroids.add(centroid(f));
                    }
                    if (f.samples != null) {
                        loudest = Math.max(loudest, peak(f));
                    }
                }
                assertEquals(VideoMnistPlan.FRAMES, centroids.size(), clip.toString());
                assertTrue(loudest > 0.05, "the soundtrack is not silent: " + clip);
                if (m.number(i, "video_noise") == 0) {
                    // the digit moves one pixel per frame in the recorded direction
                    String direction = m.cell(i, "direction");
                    int[] d = VideoMnistPlan.DIRECTIONS[VideoMnistPlan.DIRECTION_NAMES.indexOf(direction)];
                    double dy = centroids.get(7)[0] - centroids.get(0)[0];
                    double dx = centroids.get(7)[1] - centroids.get(0)[1];
                    assertEquals(7 * d[0], dy, 0.7, clip + " moves " + direction);
                    assertEquals(7 * d[1], dx, 0.7, clip + " moves " + direction);
                    checkedMotion++;
                }
            }
        }
        assertTrue(checkedMotion > 5, "clean clips checked: " + checkedMotion);
        splitsOfSpeaker.forEach((s, splits) -> assertEquals(1, splits.size(), s + " in " + splits));
        BtwConfig c = BtwConfig.load(r.config(), List.of());
        assertEquals("clip-cnn", c.modalities().get("video").encoder());
        assertEquals("clip", c.modalities().get("video").column());
        assertEquals("speech-embedding", c.modalities().get("audio").encoder());
        assertEquals("clip", c.modalities().get("audio").column(), "one column feeds video and audio");
        assertEquals("minilm-l6-v2", c.modalities().get("text").encoder());
        assertEquals("speaker", c.btw().foldGroup());
    }

    private static List<String> describe(List<VideoMnistPlan.Clip> clips) {
        List<String> out = new ArrayList<>();
        for (VideoMnistPlan.Clip c : clips) {
            out.add(c.id()
                    + c.pair().split()
                    + c.pair().digit()
                    + c.pair().voice().id()
                    + c.direction()
                    + c.y0()
                    + c.x0()
                    + c.videoNoise()
                    + c.text());
        }
        return out;
    }

    /** The intensity-weighted centre (row, column) of a grey frame. */
    private static double[] centroid(Frame f) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        double sum = 0;
        double sy = 0;
        double sx = 0;
        for (int y = 0; y < f.imageHeight; y++) {
            for (int x = 0; x < f.imageWidth; x++) {
                int v = b.get(y * f.imageStride + x) & 0xff;
                v = v < 64 ? 0 : v; // ignore the codec's ringing around the strokes
                sum += v;
                sy += v * y;
                sx += v * x;
            }
        }
        return new double[] {sy / sum, sx / sum};
    }

    private static double peak(Frame f) {
        double p = 0;
        if (f.samples[0] instanceof ShortBuffer s) {
            for (int i = s.position(); i < s.limit(); i++) {
                p = Math.max(p, Math.abs(s.get(i)) / 32768.0);
            }
        } else if (f.samples[0] instanceof FloatBuffer s) {
            for (int i = s.position(); i < s.limit(); i++) {
                p = Math.max(p, Math.abs(s.get(i)));
            }
        }
        return p;
    }

    /** Stand-ins for the raw inputs: 20 images per digit (a bar whose length is the digit) and a tone per word. */
    private static Map<String, byte[]> rawFiles() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int d = 0; d < 10; d++) {
            StringBuilder json = new StringBuilder("{ \"data\": [");
            for (int k = 0; k < 20; k++) {
                for (int p = 0; p < MnistDigits.PIXELS; p++) {
                    int y = p / 28;
                    int x = p % 28;
                    boolean on = y >= 6 && y < 22 && x >= 10 && x < 18 && (y - 6) <= 6 + d;
                    json.append(k == 0 && p == 0 ? "" : ",").append(on ? "1" : "0");
                }
            }
            files.put("mnist/" + d + ".json", json.append("] }").toString().getBytes(StandardCharsets.UTF_8));
        }
        for (String[] a : DigitVoice.ASTERISK) {
            for (int d = 0; d < 10; d++) {
                float[] tone = new float[8000 * 6 / 10];
                for (int i = 0; i < tone.length; i++) {
                    tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * (200 + 50 * d) * i / 8000.0));
                }
                Path tmp = Files.createTempFile("tone", ".wav");
                try {
                    WavFile.write(tmp, new WavFile.Audio(tone, 8000));
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    bytes.write(Files.readAllBytes(tmp));
                    files.put("asterisk/" + a[1] + "/" + d + ".wav", bytes.toByteArray());
                } finally {
                    Files.delete(tmp);
                }
            }
        }
        return files;
    }
}

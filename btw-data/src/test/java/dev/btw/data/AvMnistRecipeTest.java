package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvMnistRecipeTest {

    @TempDir
    Path dir;

    private static final int[] IMAGES = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @Test
    void speakerSplitHasNoOverlapAndEveryKindInEverySplit() {
        List<DigitVoice> voices = DigitVoice.catalogue();
        List<AvMnistPlan.Pair> pairs = AvMnistPlan.plan(voices, IMAGES, 1000, 42);
        Map<String, Set<Split>> splitsOfSpeaker = new HashMap<>();
        Map<Split, Set<String>> kinds = new EnumMap<>(Split.class);
        for (AvMnistPlan.Pair p : pairs) {
            splitsOfSpeaker
                    .computeIfAbsent(p.voice().speaker(), k -> new HashSet<>())
                    .add(p.split());
            kinds.computeIfAbsent(p.split(), k -> new HashSet<>()).add(p.voice().kind());
        }
        splitsOfSpeaker.forEach((speaker, splits) -> assertEquals(1, splits.size(), speaker + " in " + splits));
        for (Split s : Split.values()) {
            assertEquals(Set.of(DigitVoice.REAL, DigitVoice.ESPEAK, DigitVoice.FLITE), kinds.get(s), s.toString());
        }
        Map<String, Split> bySpeaker = AvMnistPlan.speakerSplits(voices, 42);
        assertTrue(bySpeaker.containsKey("asterisk-allison"), "English and Spanish Allison are one speaker");
        assertEquals(4 + 10 + 4, bySpeaker.size());
    }

    @Test
    void pairsMatchDigitsUseEachImageOnceAndAreBalanced() {
        List<AvMnistPlan.Pair> pairs = AvMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 1000, 42);
        assertEquals(1000, pairs.size());
        Set<String> images = new HashSet<>();
        Map<Split, int[]> perDigit = new EnumMap<>(Split.class);
        Set<Double> levels = new HashSet<>();
        for (AvMnistPlan.Pair p : pairs) {
            assertTrue(images.add(p.digit() + "/" + p.image()), "image reused: " + p);
            assertTrue(p.image() < IMAGES[p.digit()]);
            perDigit.computeIfAbsent(p.split(), k -> new int[10])[p.digit()]++;
            assertTrue(p.tempo() >= 0.85 && p.tempo() <= 1.15);
            assertTrue(Math.abs(p.pitchCents()) <= 250);
            assertEquals(AvMnistPlan.RANDOM_COLUMNS, p.random().length);
            levels.add(p.noiseLevel());
            // the clip says the image's digit: the word comes from the pair's digit
            assertEquals(
                    DigitVoice.WORDS.get(p.voice().language()).get(p.digit()),
                    p.voice().word(p.digit()));
        }
        assertEquals(5, levels.size());
        assertArrayEquals(new int[] {60, 60, 60, 60, 60, 60, 60, 60, 60, 60}, perDigit.get(Split.TRAIN));
        assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, perDigit.get(Split.TEST));
    }

    @Test
    void planIsDeterministicForASeed() {
        List<AvMnistPlan.Pair> a = AvMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 300, 1);
        List<AvMnistPlan.Pair> b = AvMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 300, 1);
        List<AvMnistPlan.Pair> c = AvMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 300, 2);
        assertEquals(describe(a), describe(b));
        assertNotEquals(describe(a), describe(c));
    }

    private static List<String> describe(List<AvMnistPlan.Pair> pairs) {
        List<String> out = new ArrayList<>();
        for (AvMnistPlan.Pair p : pairs) {
            out.add(p.id() + p.split() + p.digit() + "/" + p.image() + p.voice().id() + p.tempo() + p.pitchCents()
                    + p.noise() + p.noiseLevel() + p.noiseSeed());
        }
        return out;
    }

    @Test
    void mnistJsonBecomesPngs() throws IOException {
        StringBuilder json = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < 2 * MnistDigits.PIXELS; i++) {
            json.append(i == 0 ? "" : ",").append(i % 784 == 100 ? "1" : i % 7 == 0 ? "0.5" : "0");
        }
        json.append("] }");
        Path f = dir.resolve("3.json");
        Files.writeString(f, json);
        float[][] images = MnistDigits.read(f);
        assertEquals(2, images.length);
        assertEquals(1f, images[1][100]);
        Path png = dir.resolve("a.png");
        MnistDigits.writePng(images[1], png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(28, img.getWidth());
        assertEquals(255, img.getRaster().getSample(100 % 28, 100 / 28, 0));
    }

    @Test
    void noiseIsSeededAtTheRequestedLevel() throws IOException {
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.1 * Math.sqrt(2) * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        NoiseMixer.Mixed clean = NoiseMixer.mix(tone, NoiseMixer.Kind.WHITE, 0, 1);
        assertArrayEquals(tone, clean.samples());
        assertTrue(Double.isInfinite(clean.snrDb()));
        for (NoiseMixer.Kind kind : NoiseMixer.Kind.values()) {
            NoiseMixer.Mixed m = NoiseMixer.mix(tone, kind, 0.1, 5);
            assertEquals(0.0, m.snrDb(), 0.05, kind.toString());
            assertArrayEquals(m.samples(), NoiseMixer.mix(tone, kind, 0.1, 5).samples());
            double[] added = new double[tone.length];
            for (int i = 0; i < tone.length; i++) {
                added[i] = m.samples()[i] - tone[i];
            }
            assertEquals(0.1, NoiseMixer.rms(added), 0.002);
        }
        Path wav = dir.resolve("t.wav");
        WavFile.write(wav, new WavFile.Audio(tone, 16000));
        WavFile.Audio back = WavFile.read(wav);
        assertEquals(16000, back.rate());
        assertEquals(tone.length, back.samples().length);
        assertEquals(tone[123], back.samples()[123], 1e-4);
    }

    @Test
    void manifestAndConfigsFollowTheContract() throws IOException {
        List<AvMnistPlan.Pair> pairs = AvMnistPlan.plan(DigitVoice.catalogue(), IMAGES, 50, 3);
        Map<String, Double> snr = new HashMap<>();
        for (AvMnistPlan.Pair p : pairs) {
            snr.put(p.id(), p.noiseLevel() > 0 ? 3.5 : Double.POSITIVE_INFINITY);
        }
        AvMnistRecipe.writeManifest(pairs, snr, dir);
        Manifest m = Manifest.read(
                dir.resolve("manifest.csv"),
                "id",
                "split",
                "label",
                List.of("image", "audio", "audio_noise", "speaker", "rand_7"));
        assertEquals(50, m.size());
        assertEquals("images/avm-00001.png", m.cell(0, "image"));
        assertEquals("audio/avm-00001.wav", m.cell(0, "audio"));
        for (int i = 0; i < m.size(); i++) {
            assertTrue(m.number(i, "audio_noise") >= 0);
            assertEquals(m.number(i, "audio_noise") == 0, m.cell(i, "snr_db") == null);
        }
        Files.writeString(
                dir.resolve("config.yaml"), AvMnistRecipe.config("test").text());
        BtwConfig c = BtwConfig.load(dir.resolve("config.yaml"), List.of());
        assertEquals("classification", c.task().toString());
        assertEquals(10, c.classes().size());
        assertEquals("ppocr-rec", c.modalities().get("image").encoder());
        assertEquals("audio", c.modalities().get("audio").column());
        assertEquals("speaker", c.btw().foldGroup(), "the split is by speaker, so are the out-of-fold folds");
    }
}

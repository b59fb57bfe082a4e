package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No recipe puts the same instance in two splits: the same text (sentiment, whose fixtures repeat sentences),
 * the same feature row (diabetes, parkinsons), the same MNIST image or the same voice's clip (av-mnist).
 */
class SplitsShareNoInstanceTest {

    @TempDir
    Path home;

    /** Fails naming the content when the same content (the given columns, joined) sits in two splits. */
    private static void assertDisjoint(Manifest m, List<String> columns) {
        Map<String, Split> seen = new HashMap<>();
        for (int row = 0; row < m.size(); row++) {
            StringBuilder key = new StringBuilder();
            for (String c : columns) {
                key.append(m.cell(row, c)).append('\u0001');
            }
            Split before = seen.putIfAbsent(key.toString(), m.split(row));
            assertTrue(
                    before == null || before == m.split(row),
                    "'" + key + "' is in both " + before + " and " + m.split(row) + " (row " + (row + 1) + ")");
        }
    }

    private static List<String> featureColumns(Manifest m) {
        List<String> c = new ArrayList<>(m.columns());
        c.removeAll(List.of("id", "split", "label"));
        return c;
    }

    @Test
    void sentimentDropsRepeatedSentencesBeforeSplitting() throws IOException {
        SentimentRecipe recipe = new SentimentRecipe(tools -> RecipeTestSupport.noFetching());
        Map<String, byte[]> raw = new LinkedHashMap<>();
        int total = 0;
        for (String site : SentimentRecipe.SITES) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                // every site repeats "It was fine." (with other case and spacing): 2 of its 3 copies must go
                String text = i == 0 ? (site.equals("imdb") ? "it was  FINE." : "It was fine.") : site + " " + i;
                json.append(i == 0 ? "" : ",")
                        .append("{\"text\":\"")
                        .append(text)
                        .append("\",\"class\":")
                        .append(i % 2)
                        .append('}');
                total++;
            }
            json.append(",{\"text\":\"\",\"class\":null}]");
            raw.put(site + ".json", json.toString().getBytes(StandardCharsets.UTF_8));
        }
        RecipeTestSupport.seedRaw(recipe, home, raw);
        RecipeResult r = recipe.build(home, new RecipeOptions(total, false, RecipeOptions.DEFAULT_SEED), s -> {});
        assertEquals(total - 2, r.rows(), "the two repeats are dropped");
        Manifest m = Manifest.read(r.manifest(), "id", "split", "label", List.of("text"));
        Map<String, Integer> lower = new HashMap<>();
        for (int row = 0; row < m.size(); row++) {
            lower.merge(m.cell(row, "text").toLowerCase(Locale.ROOT).replaceAll("\\s+", " "), 1, Integer::sum);
        }
        assertEquals(1, lower.get("it was fine."));
        assertDisjoint(m, List.of("text"));
    }

    @Test
    void tabularRecipesPutEveryFeatureRowInOneSplit(@TempDir Path other) throws IOException {
        DiabetesRecipe diabetes = new DiabetesRecipe(tools -> RecipeTestSupport.noFetching());
        RecipeTestSupport.seedDiabetes(diabetes, home);
        RecipeResult d = diabetes.build(home, RecipeOptions.defaults(), s -> {});
        Manifest dm = Manifest.read(d.manifest(), "id", "split", "label", List.of());
        assertDisjoint(dm, featureColumns(dm));

        ParkinsonsRecipe parkinsons = new ParkinsonsRecipe(tools -> RecipeTestSupport.noFetching());
        List<String> sample = ParkinsonsRecipeTest.SAMPLE;
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", sample.stream().map(s -> '"' + s + '"').toList()))
                .append('\n');
        Random r2 = new Random(1);
        for (int i = 0; i < 100; i++) {
            for (int c = 0; c < sample.size() - 1; c++) {
                csv.append(c == 0 ? r2.nextInt(2) : r2.nextGaussian()).append(',');
            }
            csv.append(i % 4 == 0 ? "\"control\"" : "\"PD\"").append('\n');
        }
        RecipeTestSupport.seedRaw(
                parkinsons, other, Map.of(ParkinsonsRecipe.CSV, csv.toString().getBytes(StandardCharsets.UTF_8)));
        RecipeResult p = parkinsons.build(other, RecipeOptions.defaults(), s -> {});
        Manifest pm = Manifest.read(p.manifest(), "id", "split", "label", List.of());
        assertDisjoint(pm, featureColumns(pm));
    }

    @Test
    void avMnistUsesEveryImageOnceAndEveryVoiceInOneSplit() {
        int[] images = new int[10];
        Arrays.fill(images, 200);
        List<AvMnistPlan.Pair> pairs =
                AvMnistPlan.plan(DigitVoice.catalogue(), images, 1000, RecipeOptions.DEFAULT_SEED);
        Map<String, Split> image = new HashMap<>();
        Map<String, Split> clip = new HashMap<>();
        for (AvMnistPlan.Pair p : pairs) {
            // same pixels: one MNIST image; same clip: one voice reading one digit (before tempo, pitch and noise)
            Split a = image.putIfAbsent(p.digit() + "/" + p.image(), p.split());
            assertTrue(a == null, "image " + p.digit() + "/" + p.image() + " used twice");
            Split b = clip.putIfAbsent(p.voice().id() + "/" + p.digit(), p.split());
            assertTrue(
                    b == null || b == p.split(),
                    "voice " + p.voice().id() + " reads digit " + p.digit() + " in " + b + " and " + p.split());
        }
    }
}

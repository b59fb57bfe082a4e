package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParkinsonsRecipeTest {

    @TempDir
    Path home;

    static final List<String> SAMPLE = List.of(
            "gender",
            "PPE",
            "DFA",
            "locPctJitter",
            "apq11Shimmer",
            "meanHarmToNoiseHarmonicity",
            "minIntensity",
            "f1",
            "b4",
            "GQ_prc5_95",
            "GNE_mean",
            "VFER_std",
            "IMF_SNR_SEO",
            "mean_Log_energy",
            "std_MFCC_3rd_coef",
            "mean_12th_delta_delta",
            "Ea",
            "Ed2_10_coef",
            "det_entropy_log_1_coef",
            "app_LT_TKEO_std_10_coef",
            "tqwt_energy_dec_1",
            "tqwt_kurtosisValue_dec_36",
            "class");

    @Test
    void everyFeatureFallsInExactlyOneFamily() {
        Map<String, List<String>> f = ParkinsonsRecipe.assignFamilies(SAMPLE, Path.of("pd.csv"));
        assertEquals(
                List.of("baseline", "time_frequency", "vocal_fold", "mfcc", "wavelet", "tqwt"),
                new ArrayList<>(f.keySet()));
        assertEquals(
                List.of("gender", "PPE", "DFA", "locPctJitter", "apq11Shimmer", "meanHarmToNoiseHarmonicity"),
                f.get("baseline"));
        assertEquals(List.of("minIntensity", "f1", "b4"), f.get("time_frequency"));
        assertEquals(
                List.of("Ea", "Ed2_10_coef", "det_entropy_log_1_coef", "app_LT_TKEO_std_10_coef"), f.get("wavelet"));
        List<String> bad = new ArrayList<>(SAMPLE);
        bad.add("mystery");
        BtwException e =
                assertThrows(BtwException.class, () -> ParkinsonsRecipe.assignFamilies(bad, Path.of("pd.csv")));
        assertTrue(e.getMessage().contains("'mystery'"), e.getMessage());
    }

    @Test
    void buildsSixModalitiesWithAStratifiedSplitFromSeededRawInputs() throws IOException {
        ParkinsonsRecipe recipe = new ParkinsonsRecipe(tools -> RecipeTestSupport.noFetching());
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", SAMPLE.stream().map(s -> '"' + s + '"').toList()))
                .append('\n');
        Random rnd = new Random(1);
        for (int i = 0; i < 100; i++) {
            for (int c = 0; c < SAMPLE.size() - 1; c++) {
                csv.append(c == 0 ? rnd.nextInt(2) : rnd.nextGaussian()).append(',');
            }
            csv.append(i % 4 == 0 ? "\"control\"" : "\"PD\"").append('\n');
        }
        RecipeTestSupport.seedRaw(
                recipe, home, Map.of(ParkinsonsRecipe.CSV, csv.toString().getBytes(StandardCharsets.UTF_8)));
        RecipeResult r = recipe.build(home, RecipeOptions.defaults(), s -> {});
        assertEquals(100, r.rows());
        assertEquals(Map.of("train", 60, "val", 20, "test", 20), r.splits());
        Manifest m = Manifest.read(r.manifest(), "id", "split", "label", SAMPLE.subList(0, SAMPLE.size() - 1));
        int controlsInTest = 0;
        for (int i : m.rowsOf(Split.TEST)) {
            controlsInTest += "control".equals(m.label(i)) ? 1 : 0;
        }
        assertEquals(5, controlsInTest);
        BtwConfig c = BtwConfig.load(r.config(), List.of());
        assertEquals(List.of("control", "PD"), c.classes());
        assertEquals(6, c.modalities().size());
        assertEquals(
                List.of("tqwt_energy_dec_1", "tqwt_kurtosisValue_dec_36"),
                c.modalities().get("tqwt").columns());
        assertFalse(recipe.build(home, RecipeOptions.defaults(), s -> {}).built());
    }
}

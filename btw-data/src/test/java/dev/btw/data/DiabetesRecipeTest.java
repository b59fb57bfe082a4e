package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiabetesRecipeTest {

    @TempDir
    Path home;

    private final DiabetesRecipe recipe = new DiabetesRecipe(tools -> RecipeTestSupport.noFetching());

    private void seed(Path h) throws IOException {
        RecipeTestSupport.seedDiabetes(recipe, h);
    }

    @Test
    void buildsManifestAndConfigFromSeededRawInputs() throws IOException {
        seed(home);
        RecipeResult r = recipe.build(home, RecipeOptions.defaults(), s -> {});
        assertTrue(r.built());
        assertEquals(home.resolve("data/diabetes").toAbsolutePath(), r.folder().toAbsolutePath());
        assertEquals(442, r.rows());
        assertEquals(
                442, r.splits().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(Math.abs(r.splits().get("train") - 265) <= 4, r.splits().toString());
        assertTrue(Math.abs(r.splits().get("test") - 88) <= 4, r.splits().toString());
        Manifest m = Manifest.read(r.manifest(), "id", "split", "label", DiabetesRecipe.COLUMNS);
        assertEquals(
                List.of("id", "split", "label", "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
                m.columns());
        for (int i = 0; i < m.size(); i++) {
            for (String c : DiabetesRecipe.COLUMNS) {
                assertTrue(Double.isFinite(m.number(i, c)));
            }
            assertTrue(Double.isFinite(m.number(i, "label")));
        }
        BtwConfig c = BtwConfig.load(r.config(), List.of());
        assertEquals("regression", c.task().toString());
        assertEquals(
                List.of("demographics", "body", "serum"),
                new ArrayList<>(c.modalities().keySet()));
        assertEquals(
                List.of("s1", "s2", "s3", "s4", "s5", "s6"),
                c.modalities().get("serum").columns());
        assertTrue(Files.readString(r.folder().resolve(Staging.SUMS)).contains("  manifest.csv"));
    }

    @Test
    void secondRunDoesNothingAndADamagedResultIsRebuilt() throws IOException {
        seed(home);
        recipe.build(home, RecipeOptions.defaults(), s -> {});
        Path manifest = home.resolve("data/diabetes/manifest.csv");
        long modified = Files.getLastModifiedTime(manifest).toMillis();
        List<String> log = new ArrayList<>();
        RecipeResult again = recipe.build(home, RecipeOptions.defaults(), log::add);
        assertFalse(again.built());
        assertTrue(log.get(0).contains("up to date"), log.toString());
        assertEquals(modified, Files.getLastModifiedTime(manifest).toMillis());

        String before = Files.readString(manifest);
        Files.writeString(manifest, "id,split,label\n");
        RecipeResult rebuilt = recipe.build(home, RecipeOptions.defaults(), s -> {});
        assertTrue(rebuilt.built());
        assertEquals(before, Files.readString(manifest));
        try (var s = Files.list(home.resolve("data"))) {
            assertEquals(
                    List.of("diabetes"),
                    s.map(p -> p.getFileName().toString()).toList(),
                    "no staging folders are left behind");
        }
    }

    @Test
    void deterministicForASeedAndDifferentForAnother(@TempDir Path other) throws IOException {
        seed(home);
        seed(other);
        RecipeResult a = recipe.build(home, RecipeOptions.defaults(), s -> {});
        RecipeResult b = recipe.build(other, RecipeOptions.defaults(), s -> {});
        assertEquals(
                Files.readString(a.folder().resolve(Staging.SUMS)),
                Files.readString(b.folder().resolve(Staging.SUMS)));
        RecipeResult c = recipe.build(home, new RecipeOptions(0, false, 5), s -> {});
        assertEquals("diabetes-n442-s5", c.folder().getFileName().toString());
        assertNotEquals(Files.readString(a.manifest()), Files.readString(c.manifest()));
    }

    @Test
    void subsetKeepsRequestedSizeWithUniqueIds() throws IOException {
        seed(home);
        RecipeResult r = recipe.build(home, new RecipeOptions(100, false, RecipeOptions.DEFAULT_SEED), s -> {});
        assertEquals(100, r.rows());
        assertEquals("diabetes-n100-s1111", r.folder().getFileName().toString());
        Manifest m = Manifest.read(r.manifest(), "id", "split", "label", List.of());
        Set<String> ids = new HashSet<>(m.ids());
        assertEquals(100, ids.size());
        assertEquals(
                100, r.splits().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(Math.abs(r.splits().get("train") - 60) <= 3, r.splits().toString());
        assertThrows(BtwException.class, () -> recipe.build(home, new RecipeOptions(443, false, 1), s -> {}));
    }

    @Test
    void checksumMismatchOfADownloadNamesTheAsset() {
        DiabetesRecipe fetching = new DiabetesRecipe(tools -> (asset, dir) -> {
            try {
                return Files.writeString(dir.resolve(asset.fileName()), "not the real package", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        BtwException e =
                assertThrows(BtwException.class, () -> fetching.build(home, RecipeOptions.defaults(), s -> {}));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("python3-sklearn_1.2.1+dfsg-1_all.deb"), e.getMessage());
        assertFalse(
                Files.exists(home.resolve("downloads/python3-sklearn_1.2.1+dfsg-1_all.deb")),
                "a file that fails its checksum is not cached");
        assertFalse(Files.exists(home.resolve("data/diabetes")));
    }
}

package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeRegistryTest {

    @Test
    void listsEveryRecipeWithALicenceLine() {
        assertEquals(List.of("av-mnist", "diabetes", "parkinsons", "sentiment", "video-mnist"), DataRecipes.names());
        String[] notice = DataRecipes.NOTICE.split("\n");
        assertEquals(5, notice.length);
        for (DataRecipe r : DataRecipes.all().values()) {
            assertTrue(DataRecipes.NOTICE.contains(r.licence()));
            assertTrue(r.licence().startsWith(r.name() + ": "), r.licence());
            assertTrue(r.quickSize() <= r.defaultSize());
            for (PinnedFile a : ((PackageRecipe) r).assets()) {
                assertTrue(a.sha256().matches("[0-9a-f]{64}"), a.toString());
            }
        }
        BtwException e = assertThrows(BtwException.class, () -> DataRecipes.get("mosi"));
        assertTrue(e.getMessage().contains("av-mnist"), e.getMessage());
    }

    @Test
    void folderNamesSeparateSizesAndSeeds() {
        DataRecipe av = DataRecipes.get("av-mnist");
        assertEquals("av-mnist", RecipeOptions.defaults().folderName(av));
        assertEquals("av-mnist-quick", RecipeOptions.quickBuild().folderName(av));
        assertEquals(300, RecipeOptions.quickBuild().size(av));
        assertEquals("av-mnist", new RecipeOptions(3000, false, RecipeOptions.DEFAULT_SEED).folderName(av));
        assertEquals("av-mnist-n500-s1111", new RecipeOptions(500, true, RecipeOptions.DEFAULT_SEED).folderName(av));
        assertEquals("av-mnist-n300-s2", new RecipeOptions(0, true, 2).folderName(av));
        assertThrows(BtwException.class, () -> new RecipeOptions(-1, false, 1));
    }

    @Test
    void splitPlanIsStratifiedAndGroupsAreDisjoint() {
        List<String> strata = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            strata.add(i < 50 ? "a" : "b");
        }
        Split[] s = SplitPlan.stratified(strata, 3);
        int trainA = 0;
        for (int i = 0; i < 50; i++) {
            trainA += s[i] == Split.TRAIN ? 1 : 0;
        }
        assertEquals(30, trainA);
        int[] sub = SplitPlan.subset(strata, 10, 3);
        assertEquals(10, sub.length);
        assertEquals(5, Arrays.stream(sub).filter(i -> i < 50).count());
        var groups = SplitPlan.groups(List.of("g1", "g2", "g3", "g4"), 9);
        assertEquals(4, groups.size());
        assertTrue(groups.containsValue(Split.VAL));
        assertTrue(groups.containsValue(Split.TEST));
        assertTrue(groups.containsValue(Split.TRAIN));
    }
}

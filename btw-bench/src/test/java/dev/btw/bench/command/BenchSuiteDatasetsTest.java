package dev.btw.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.bench.suite.SuitePlan;
import dev.btw.data.DataRecipes;
import dev.btw.data.VideoMnistRecipe;
import org.junit.jupiter.api.Test;

/** The suite's data sets are recipes, and video-mnist is the fifth of the full suite. */
class BenchSuiteDatasetsTest {

    @Test
    void videoMnistIsTheFifthDataSetOfTheFullSuiteOnly() {
        assertEquals(5, BenchSuiteCommand.FULL.size());
        assertEquals(VideoMnistRecipe.NAME, BenchSuiteCommand.FULL.get(4));
        assertFalse(BenchSuiteCommand.QUICK.contains(VideoMnistRecipe.NAME), "the quick suite stays seconds long");
        for (String name : BenchSuiteCommand.FULL) {
            assertEquals(name, DataRecipes.get(name).name(), "--datasets names a recipe");
        }
        assertTrue(BenchSuiteCommand.FULL.containsAll(BenchSuiteCommand.QUICK));
        assertEquals("speaker", SuitePlan.FOLD_GROUPS.get(VideoMnistRecipe.NAME));
    }
}

package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits that cannot train or score are bad input named before any training starts. */
class SplitValidationTest {

    @TempDir
    Path dir;

    private BtwException load(IntFunction<String> split, IntFunction<String> label) throws IOException {
        List<String> rows = new ArrayList<>(List.of("id,split,label,a,b"));
        for (int i = 0; i < 20; i++) {
            rows.add(String.join(
                    ",", "r" + i, split.apply(i), label.apply(i), Double.toString(i * 0.5), Integer.toString(i % 3)));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Files.writeString(
                dir.resolve("c.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  labs: { encoder: columns, columns: [a] }\n"
                        + "  other: { encoder: columns, columns: [b] }\n");
        BtwConfig config = BtwConfig.load(dir.resolve("c.yaml"), List.of());
        BtwException e = assertThrows(BtwException.class, () -> TabularFeatures.load(config));
        assertTrue(!e.isInternal(), e.getMessage());
        return e;
    }

    private static String threeWay(int i) {
        return i < 12 ? "train" : i < 16 ? "val" : "test";
    }

    @Test
    void anEmptySplitIsNamed() throws IOException {
        BtwException e = load(i -> i < 14 ? "train" : "test", i -> Integer.toString(i % 2));
        assertTrue(e.getMessage().contains("the val split has no instance"), e.getMessage());
    }

    @Test
    void aSingleClassTrainSplitIsNamed() throws IOException {
        BtwException e = load(SplitValidationTest::threeWay, i -> i < 12 ? "yes" : i % 2 == 0 ? "yes" : "no");
        assertTrue(
                e.getMessage().contains("at least two classes in the train split")
                        && e.getMessage().contains("[yes]"),
                e.getMessage());
    }

    @Test
    void aTestLabelUnseenInTrainNamesTheRow() throws IOException {
        BtwException e = load(SplitValidationTest::threeWay, i -> i == 17 ? "maybe" : i % 2 == 0 ? "yes" : "no");
        assertTrue(e.getMessage().contains("'maybe'") && e.getMessage().contains("[no, yes]"), e.getMessage());
        assertTrue(e.getMessage().contains("row 19") || e.getMessage().contains("r17"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}

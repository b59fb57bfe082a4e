package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN or infinity in precomputed vectors or tabular columns is bad input naming the modality and the instance; it
 * never reaches the standardisation (where one NaN would turn a whole dimension into NaN).
 */
class NonFiniteInputTest {

    @TempDir
    Path dir;

    private void manifest(String badVec, String badA) throws IOException {
        List<String> rows = new ArrayList<>(List.of("id,split,label,a,b,vec"));
        for (int i = 0; i < 24; i++) {
            String split = i < 14 ? "train" : i < 19 ? "val" : "test";
            String a = i == 9 ? badA : Double.toString(i * 0.5);
            String vec = i == 7 ? badVec : i + " " + (i % 3);
            rows.add(String.join(
                    ",", "r" + i, split, Integer.toString(i % 2), a, Integer.toString(i % 4), "\"" + vec + "\""));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
    }

    private BtwConfig mixed() throws IOException {
        Files.writeString(
                dir.resolve("mixed.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  labs: { encoder: columns, columns: [a, b] }\n"
                        + "  pre: { encoder: vectors, column: vec }\n"
                        + "encode: { batch: 4, store: features }\n");
        return BtwConfig.load(dir.resolve("mixed.yaml"), List.of());
    }

    @Test
    void nanOrInfinityInPrecomputedVectorsNamesModalityAndRow() throws IOException {
        for (String bad : List.of("7 NaN", "Infinity 1", "1e39 2")) {
            manifest(bad, "4.5");
            BtwException e =
                    assertThrows(BtwException.class, () -> StoreFeatures.load(mixed(), EncodeProgress.NONE), bad);
            assertTrue(e.getMessage().contains("modality pre") && e.getMessage().contains("r7"), e.getMessage());
            assertFalse(e.isInternal(), e.getMessage());
        }
    }

    @Test
    void aTabularValueBeyondFloatRangeNamesModalityAndRow() throws IOException {
        manifest("7 1", "1e300");
        Files.writeString(
                dir.resolve("tabular.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  labs: { encoder: columns, columns: [a, b] }\n"
                        + "  other: { encoder: columns, columns: [b] }\n");
        BtwException e = assertThrows(
                BtwException.class, () -> TabularFeatures.load(BtwConfig.load(dir.resolve("tabular.yaml"), List.of())));
        assertTrue(e.getMessage().contains("modality labs") && e.getMessage().contains("r9"), e.getMessage());
        // the same cell through the feature store (mixed config): the encoder's statistics overflow, named
        BtwException m = assertThrows(BtwException.class, () -> StoreFeatures.load(mixed(), EncodeProgress.NONE));
        assertTrue(m.getMessage().contains("column 'a'") && m.getMessage().contains("overflow"), m.getMessage());
    }
}

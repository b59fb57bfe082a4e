package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.EncodeProgress;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One manifest, one presence mask: an empty tabular cell makes its modality missing for that instance, whether
 * the config is all tabular (read straight from the manifest) or mixes tabular with other modalities (through
 * the feature store). Before, the store path mean-filled a partly empty row.
 */
class PresenceMaskTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyTabularCellMarksTheModalityMissingInBothPaths() throws IOException {
        List<String> rows = new ArrayList<>(List.of("id,split,label,a,b,c,vec"));
        for (int i = 0; i < 30; i++) {
            String split = i < 18 ? "train" : i < 24 ? "val" : "test";
            String a = i % 7 == 3 ? "" : Double.toString(i * 0.5);
            String b = i % 5 == 1 ? "" : Double.toString(10 - i * 0.25);
            String c = i % 4 == 2 ? "" : Integer.toString(i % 3);
            rows.add(String.join(
                    ",", "r" + i, split, Integer.toString(i % 2), a, b, c, "\"" + i + " " + (i % 3) + "\""));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Files.writeString(
                dir.resolve("tabular.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  labs: { encoder: columns, columns: [a, b] }\n"
                        + "  other: { encoder: columns, columns: [c] }\n");
        Files.writeString(
                dir.resolve("mixed.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  labs: { encoder: columns, columns: [a, b] }\n"
                        + "  pre: { encoder: vectors, column: vec }\n"
                        + "encode: { batch: 4, store: features }\n");
        BtwConfig tabular = BtwConfig.load(dir.resolve("tabular.yaml"), List.of());
        BtwConfig mixed = BtwConfig.load(dir.resolve("mixed.yaml"), List.of());
        assertTrue(TabularFeatures.applies(tabular));
        assertFalse(TabularFeatures.applies(mixed));
        FusionData t = TabularFeatures.load(tabular);
        FusionData m = StoreFeatures.load(mixed, EncodeProgress.NONE);
        int absent = 0;
        for (Split s : List.of(Split.TRAIN, Split.VAL, Split.TEST)) {
            assertEquals(t.split(s).ids(), m.split(s).ids());
            boolean[] pt = t.split(s).present("labs");
            assertArrayEquals(pt, m.split(s).present("labs"), "split " + s);
            for (int i = 0; i < pt.length; i++) {
                int r = Integer.parseInt(t.split(s).ids().get(i).substring(1));
                assertEquals(r % 7 != 3 && r % 5 != 1, pt[i], "row r" + r);
                absent += pt[i] ? 0 : 1;
            }
        }
        assertEquals(10, absent); // a empty in r3, r10, r17, r24; b empty in r1, r6, r11, r16, r21, r26
    }
}

package dev.btw.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for names that become paths, and a config's modality named {@code ..} refused by it. */
class PathNamesTest {

    @TempDir
    Path tmp;

    @Test
    void separatorsDotsAndControlCharactersAreRefused() {
        for (String bad : List.of("", ".", "..", "a/b", "a\\b", "../x", "a\u0000b", "tab\n")) {
            BtwException e = assertThrows(BtwException.class, () -> PathNames.check("modality", bad), bad);
            assertTrue(e.getMessage().startsWith("modality name '"), e.getMessage());
        }
        for (String good : List.of("tab", "text.v2", "unimodal-a", "kl_mi", "..x")) {
            assertNull(PathNames.problem(good), good);
        }
        assertEquals(tmp.resolve("tab"), PathNames.child(tmp, "modality", "tab"));
        assertThrows(BtwException.class, () -> PathNames.child(tmp.resolve("inner"), "modality", ".."));
    }

    @Test
    void aModalityNamedDotDotIsRefusedByTheConfig() throws Exception {
        String yaml = String.join(
                "\n",
                "task: classification",
                "data: { manifest: m.csv }",
                "modalities:",
                "  '..': { encoder: columns, columns: [a] }",
                "");
        BtwException e = assertThrows(BtwException.class, () -> BtwConfig.parse(yaml, tmp, "c.yaml", List.of()));
        assertTrue(e.getMessage().contains("modality name '..' cannot be used"), e.getMessage());
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "nothing created");
        }
    }
}

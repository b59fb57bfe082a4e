package dev.btw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in {@code docs/CONFIG.md} is generated from {@link ConfigKey}; this test fails when
 * the page drifts from the key list. To regenerate: {@code mvn -pl btw-core test -Dtest=ConfigReferenceTest
 * -Dbtw.docs.write=true}.
 */
class ConfigReferenceTest {

    private static final Path PAGE = Path.of("..", "docs", "CONFIG.md");

    @Test
    void thePageHoldsTheGeneratedTable() throws IOException {
        String page = Files.readString(PAGE);
        int begin = page.indexOf(ConfigReference.BEGIN);
        int end = page.indexOf(ConfigReference.END);
        assertTrue(begin >= 0 && end > begin, PAGE + " must hold the markers of the generated table");
        String current = page.substring(begin + ConfigReference.BEGIN.length() + 1, end);
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("btw.docs.write") && !current.equals(generated)) {
            AtomicFiles.writeString(
                    PAGE,
                    page.substring(0, begin + ConfigReference.BEGIN.length() + 1) + generated + page.substring(end));
            current = generated;
        }
        assertEquals(generated, current, PAGE + " drifted from ConfigKey: run this test with -Dbtw.docs.write=true");
    }

    @Test
    void everyKeyIsInTheDefaultTreeOnceAndNothingElseIs() {
        Set<String> paths = new HashSet<>();
        collect("", ConfigDefaults.root(), paths);
        for (ConfigKey k : ConfigKey.values()) {
            if (k.isModalityKey()) {
                assertTrue(
                        ConfigDefaults.modality().containsKey(k.path().substring(ConfigKey.MODALITY_PREFIX.length())),
                        k.path());
            } else {
                assertTrue(paths.remove(k.path()), "the default tree lacks " + k.path());
            }
        }
        assertTrue(paths.isEmpty(), "defaults without a key: " + paths);
        assertEquals(ConfigKey.BTW_RULE, ConfigKey.of("btw.rule"));
    }

    @Test
    void theValidatorChecksWhatTheKeyListSays() {
        for (String bad : new String[] {"btw.scale=sideways", "btw.folds=1", "model.dropout=1.5", "train.device=tpu"}) {
            String key = bad.substring(0, bad.indexOf('='));
            BtwException e = assertThrows(
                    BtwException.class,
                    () -> BtwConfig.parse(
                            "task: regression\nmodalities: { a: { encoder: columns, columns: [x] } }\n",
                            Path.of("."),
                            "c.yaml",
                            List.of(bad)),
                    bad);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> tree, Set<String> out) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !path.equals("modalities")) {
                collect(path + ".", (Map<String, Object>) m, out);
            } else {
                out.add(path);
            }
        }
    }
}

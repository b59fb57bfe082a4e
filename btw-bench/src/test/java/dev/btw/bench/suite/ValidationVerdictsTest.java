package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five seeds of a regression data set: in the main condition `mi` beats `uniform` on val at every seed (and ties
 * on test), `kl` is worse on val; the out-of-fold policy trains `mi` only and pairs with the main `uniform`.
 */
class ValidationVerdictsTest {

    @TempDir
    Path work;

    private static final List<Integer> SEEDS = List.of(1, 2, 3, 4, 5);

    private static String method(String name, double val, double test) {
        return String.format(
                Locale.ROOT,
                "\"%s\": {\"val\": {\"mae\": {\"mean\": %s}}, \"test\": {\"mae\": {\"mean\": %s}}}",
                name,
                val,
                test);
    }

    private void metrics(String condition, int seed, String... methods) throws Exception {
        Path run = work.resolve("toy").resolve(condition).resolve("seed-" + seed);
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.json"), "{\"methods\": {" + String.join(", ", methods) + "}}");
    }

    @Test
    void talliesEveryRuleAndSettingAgainstUniformOnValAndTest() throws Exception {
        Files.createDirectories(work.resolve("toy"));
        Files.writeString(
                work.resolve("toy/dataset.json"),
                "{\"name\": \"toy\", \"task\": \"regression\", \"modalities\": {\"a\": 2}}");
        for (int s : SEEDS) {
            double jitter = 0.1 * s;
            metrics(
                    "main",
                    s,
                    method("uniform", 50 + jitter, 48 + jitter),
                    method("mi", 49 + 0.9 * jitter, 48 + jitter),
                    method("kl", 51 + 1.1 * jitter, 48 + 1.5 * jitter));
            metrics("references-out-of-fold", s, method("mi", 50 + (s % 2 == 0 ? 0.3 : -0.3), 48));
        }
        DatasetResults r = DatasetResults.read(work.resolve("toy"), SEEDS);
        String page = String.join("\n", new ValidationVerdicts(List.of(r)).render());
        assertTrue(page.contains("| `mi` · defaults | 1 | 1 | 0 | 0 | 0 | toy main +1.030 |"), page);
        assertTrue(page.contains("| `kl` · defaults | 1 | 0 | 1 | 0 | 1 | toy main -1.030 |"), page);
        assertTrue(page.contains("| `mi` · references: out-of-fold | 1 | 0 | 0 |"), page);
        assertEquals("defaults", ValidationVerdicts.setting("noise-4"));
        assertEquals("inference-instance", ValidationVerdicts.setting("variant-inference-instance"));
    }
}

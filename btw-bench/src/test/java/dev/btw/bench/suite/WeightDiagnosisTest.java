package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written work folder of three modalities whose references' test F1 rank a > b > c at both seeds. In-sample
 * BTW gives c (the memoriser) the largest share, out-of-fold ranks them like the test metric, validation swaps a
 * and b at one seed.
 */
class WeightDiagnosisTest {

    @TempDir
    Path work;

    private static final List<Integer> SEEDS = List.of(1, 2);

    private void run(String condition, int seed, double[] weights, double[] mi) throws Exception {
        Path run = work.resolve("toy").resolve(condition).resolve("seed-" + seed);
        Files.createDirectories(run);
        StringBuilder methods = new StringBuilder();
        if (condition.equals("main")) {
            double[][] f1 = {{0.90, 0.70, 0.40}, {0.85, 0.72, 0.45}};
            String[] mods = {"a", "b", "c"};
            for (int m = 0; m < 3; m++) {
                methods.append("\"unimodal:")
                        .append(mods[m])
                        .append("\": {\"train\": {\"f1_macro\": {\"mean\": 0.99}}, ")
                        .append("\"test\": {\"f1_macro\": {\"mean\": ")
                        .append(f1[seed - 1][m])
                        .append("}}}, ");
            }
        }
        methods.append("\"exp(-kl)*mi\": {\"train\": {\"f1_macro\": {\"mean\": 0.97}}, \"val\": {\"f1_macro\": "
                + "{\"mean\": 0.80}}}");
        Files.writeString(run.resolve("metrics.json"), "{\"methods\": {" + methods + "}}");
        Path w = run.resolve("weights").resolve("exp-kl_mi").resolve("seed-" + seed);
        Files.createDirectories(w);
        Files.writeString(w.resolve("refresh-0001.json"), "{\"mean_weight\": {\"a\": 9, \"b\": 9, \"c\": 9}}");
        Files.writeString(
                w.resolve("refresh-0002.json"),
                String.format(
                        Locale.ROOT,
                        "{\"mean_weight\": {\"a\": %s, \"b\": %s, \"c\": %s}, \"mi\": {\"a\": %s, \"b\": %s, \"c\": %s}}",
                        weights[0],
                        weights[1],
                        weights[2],
                        mi[0],
                        mi[1],
                        mi[2]));
    }

    private DatasetResults results() throws Exception {
        Files.createDirectories(work.resolve("toy"));
        Files.writeString(
                work.resolve("toy/dataset.json"),
                "{\"name\": \"toy\", \"task\": \"classification\", \"modalities\": {\"a\": 2, \"b\": 3, \"c\": 1}}");
        for (int s : SEEDS) {
            run("main", s, new double[] {0.2, 0.3, 0.5}, new double[] {0.2, 0.3, 0.5});
            run("references-out-of-fold", s, new double[] {0.6, 0.3, 0.1}, new double[] {0.5, 0.4, 0.1});
            run(
                    "references-validation",
                    s,
                    s == 1 ? new double[] {0.3, 0.5, 0.2} : new double[] {0.5, 0.3, 0.2},
                    new double[] {0.4, 0.4, 0.2});
        }
        return DatasetResults.read(work.resolve("toy"), SEEDS);
    }

    @Test
    void rankCorrelationPerPolicyAndSeed() throws Exception {
        DatasetResults r = results();
        assertEquals(
                Map.of(
                        "in-sample",
                        "main",
                        "out-of-fold",
                        "references-out-of-fold",
                        "validation",
                        "references-validation"),
                WeightDiagnosis.policies(r));
        assertEquals(List.of("exp(-kl)*mi"), WeightDiagnosis.rules(r));
        assertRhos(Map.of(1, -1.0, 2, -1.0), WeightDiagnosis.rankCorrelations(r, "main", "exp(-kl)*mi", "mean_weight"));
        assertRhos(
                Map.of(1, 1.0, 2, 1.0),
                WeightDiagnosis.rankCorrelations(r, "references-out-of-fold", "exp(-kl)*mi", "mean_weight"));
        // a and b swapped at seed 1
        assertRhos(
                Map.of(1, 0.5, 2, 1.0),
                WeightDiagnosis.rankCorrelations(r, "references-validation", "exp(-kl)*mi", "mean_weight"));
        // MI shares with a tie: a = b > c gives ranks (2.5, 2.5, 1) against (3, 2, 1)
        assertEquals(
                0.8660254037844387,
                WeightDiagnosis.rankCorrelations(r, "references-validation", "exp(-kl)*mi", "mi")
                        .get(1),
                1e-12);
    }

    private static void assertRhos(Map<Integer, Double> expected, Map<Integer, Double> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((seed, rho) -> assertEquals(rho, actual.get(seed), 1e-12, "seed " + seed));
    }

    @Test
    void shareChangeIsTheMeanAbsoluteDifference() throws Exception {
        DatasetResults r = results();
        // |0.2-0.5| + |0.3-0.4| + |0.5-0.1| = 0.8 per seed, over 3 modalities
        assertEquals(0.8 / 3, WeightDiagnosis.shareChange(r, "main", "references-out-of-fold", "exp(-kl)*mi"), 1e-12);
        assertTrue(Double.isNaN(WeightDiagnosis.shareChange(r, "main", null, "exp(-kl)*mi")));
    }

    @Test
    void writesTheTablesFromTheLastRefresh() throws Exception {
        DatasetResults r = results();
        String table = String.join("\n", new WeightDiagnosis(List.of(r)).dataset(r));
        // shares of the last refresh, not the first (9, 9, 9); the reference's test F1 mean ± sd over seeds
        assertTrue(
                table.contains("| `c` | 0.990 | NaN | 0.425 ± 0.035 | 0.500 (0.500) | 0.100 (0.100) | 0.200 (0.200) |"),
                table);
        assertTrue(
                table.contains("| `exp(-kl)*mi` | -1.00 [2] (-1.00 [2]) | +1.00 [2] (+1.00 [2]) | +0.75 [2] "
                        + "(+0.87 [2]) |"),
                table);
        String summary = String.join("\n", new WeightDiagnosis(List.of(r)).summary());
        // in-sample -> out-of-fold: (0.3 + 0.1 + 0.4) / 3; out-of-fold -> validation: (0.1 + 0 + 0.1) / 3
        assertTrue(summary.contains("| toy | f1_macro | 0.970 | 0.800 | 0.267 | 0.067 |"), summary);
    }
}

package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight-scale comparison: the plan of the {@code sweep-scale} phase and the {@code scale-mean-one} variant, and
 * the results-page section on a made-up classification data set of five seeds, where {@code exp(-kl)*mi} with
 * {@code mean-one} is better than with {@code sum-to-one} at every seed (macro-F1 +0.02, Brier -0.03) and
 * {@code kl*mi} alternates around it.
 */
class WeightScaleTest {

    @TempDir
    Path work;

    private static final List<Integer> SEEDS = List.of(1, 2, 3, 4, 5);

    @Test
    void planRunsMeanOneForBothRulesUnderTheHardestSweepConditions() {
        assertTrue(SuitePlan.PHASES.contains("sweep-scale"));
        assertFalse(SuitePlan.DEFAULT_PHASES.contains("sweep-scale"));
        SuitePlan full = SuitePlan.full();
        assertEquals(List.of("exp(-kl)*mi", "kl*mi"), full.scaleRules());
        assertEquals(List.of("noise-4", "corrupt"), full.sweepScaleBases());
        assertEquals(List.of(ScaleCondition.OVERRIDE), full.variants().get(ScaleCondition.VARIANT));
        // the full plan's variants already ran both rules; every variant keeps its rules
        assertEquals(List.of("kl*mi", "exp(-kl)*mi"), full.variantRules(ScaleCondition.VARIANT));
        assertEquals(List.of("kl*mi", "exp(-kl)*mi"), full.variantRules("inference-instance"));
        // the quick plan runs the other variants for kl*mi only, the scale variant for both rules
        SuitePlan quick = SuitePlan.quickPlan();
        assertTrue(quick.phases().contains("sweep-scale"));
        assertEquals(List.of("noise-2", "corrupt"), quick.sweepScaleBases());
        assertEquals(List.of("kl*mi"), quick.variantRules("trigger-every-epoch"));
        assertEquals(List.of("kl*mi", "exp(-kl)*mi"), quick.variantRules(ScaleCondition.VARIANT));
        assertEquals(
                List.of("main", "sweeps", "sweep-scale"),
                full.withPhases(List.of("main", "sweeps", "sweep-scale")).phases());
    }

    @Test
    void conditionNamesPairWithTheirBase() {
        assertEquals("variant-" + ScaleCondition.VARIANT, new ScaleCondition("main").name());
        assertEquals(ScaleCondition.VARIANT + "-noise-4", new ScaleCondition("noise-4").name());
        assertEquals(
                Optional.of(new ScaleCondition("main")), ScaleCondition.parse("variant-" + ScaleCondition.VARIANT));
        assertEquals(
                Optional.of(new ScaleCondition("corrupt")), ScaleCondition.parse(ScaleCondition.VARIANT + "-corrupt"));
        assertEquals(Optional.empty(), ScaleCondition.parse("variant-inference-instance"));
        assertEquals(Optional.empty(), ScaleCondition.parse("noise-4"));
        assertEquals(Optional.empty(), PolicyCondition.parse(ScaleCondition.VARIANT + "-noise-4"));
        assertEquals(ScaleCondition.VARIANT, ValidationVerdicts.setting(ScaleCondition.VARIANT + "-noise-4"));
        assertEquals(ScaleCondition.VARIANT, ValidationVerdicts.setting("variant-" + ScaleCondition.VARIANT));
        assertTrue(DatasetResults.lowerIsBetter("brier") && DatasetResults.lowerIsBetter("ece"));
    }

    private static String method(String name, int seed, double f1, double brier) {
        String split = String.format(
                Locale.ROOT,
                "{\"f1_macro\": {\"mean\": %s}, \"accuracy\": {\"mean\": %s}, \"auroc\": {\"mean\": %s}, "
                        + "\"brier\": {\"mean\": %s}, \"ece\": {\"mean\": %s}}",
                f1,
                f1 + 0.05,
                0.9 + 0.001 * seed,
                brier,
                0.05 + 0.001 * seed);
        return "\"" + name + "\": {\"val\": " + split + ", \"test\": " + split + "}";
    }

    private void metrics(String condition, int seed, List<String> methods) throws Exception {
        Path run = work.resolve("toy").resolve(condition).resolve("seed-" + seed);
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.json"), "{\"methods\": {" + String.join(", ", methods) + "}}");
    }

    @Test
    void sectionComparesBothScalesPairedBySeedWithUniformBeside() throws Exception {
        Files.createDirectories(work.resolve("toy"));
        Files.writeString(
                work.resolve("toy/dataset.json"),
                "{\"name\": \"toy\", \"task\": \"classification\", \"modalities\": {\"a\": 2}}");
        Files.writeString(
                work.resolve("suite.json"),
                "{\"invocations\": [{\"command\": \"btw bench suite\", \"started\": \"now\", \"datasets\": [\"toy\"],"
                        + " \"plan\": {\"quick\": true, \"seeds\": [1, 2, 3, 4, 5], \"overrides\": [],"
                        + " \"sweeps\": true, \"noise_counts\": [0, 2], \"noise_width\": 3, \"corrupt_levels\": [0, 1],"
                        + " \"phases\": [\"main\", \"sweeps\", \"variants\", \"sweep-scale\"],"
                        + " \"variants\": {\"" + ScaleCondition.VARIANT + "\": [\"" + ScaleCondition.OVERRIDE + "\"]},"
                        + " \"variant_rules\": [\"kl*mi\"], \"scale_rules\": [\"exp(-kl)*mi\", \"kl*mi\"],"
                        + " \"sweep_scale_bases\": [\"noise-2\", \"corrupt\"]},"
                        + " \"machine\": {\"cpu\": \"cpu\", \"cores\": 2, \"os\": \"os\", \"java\": \"java\","
                        + " \"load_average_at_start\": 0.5}}]}");
        for (int s : SEEDS) {
            double j = s % 2 == 0 ? 0.001 : -0.001;
            for (String base : List.of("main", "noise-2", "corrupt")) {
                // the made-up sum-to-one and mean-one rows; the condition's own runs hold the default scale's
                List<String> sumToOne = List.of(
                        method("exp(-kl)*mi", s, 0.72 + 0.01 * s, 0.40 + 0.01 * s),
                        method("kl*mi", s, 0.71 + 0.01 * s, 0.42));
                List<String> meanOne = List.of(
                        method("exp(-kl)*mi", s, 0.74 + 0.01 * s + j, 0.37 + 0.01 * s + 2 * j),
                        method("kl*mi", s, 0.71 + 0.01 * s + 5 * j, 0.42 + 5 * j));
                boolean variantMeanOne = ScaleCondition.variantIsMeanOne();
                List<String> own = new ArrayList<>(List.of(
                        method("unimodal:a", s, 0.6 + 0.01 * s, 0.5),
                        method("uniform", s, 0.70 + 0.01 * s + j / 2, 0.45 + 0.01 * s)));
                own.addAll(variantMeanOne ? sumToOne : meanOne);
                metrics(base, s, own);
                if (base.equals("corrupt") && s == 5) {
                    continue; // the corrupted copy's non-default scale runs finished four seeds only
                }
                metrics(new ScaleCondition(base).name(), s, variantMeanOne ? meanOne : sumToOne);
            }
        }
        Path page = work.resolve("RESULTS.md");
        String md = new ResultsPage(work, page, work.resolve("plots"), null).write();
        int at = md.indexOf("### Weight scale: sum-to-one against mean-one");
        assertTrue(at >= 0, md);
        String section =
                md.substring(at, md.indexOf("\n### ", at + 1) < 0 ? md.length() : md.indexOf("\n### ", at + 1));
        assertTrue(
                section.contains("| condition | method | split | f1_macro | accuracy | auroc | brier | ece |"),
                section);
        assertTrue(section.contains("lower is better for brier, ece"), section);
        List<String> rows =
                new ArrayList<>(section.lines().filter(l -> l.startsWith("| ")).toList());
        String mainExpVal = rows.stream()
                .filter(l -> l.startsWith("| main | `exp(-kl)*mi` | val |"))
                .findFirst()
                .orElseThrow();
        // macro-F1 0.73..0.77 (sum-to-one) against 0.749, 0.761, 0.769, 0.781, 0.789: +0.0198 at every seed
        assertTrue(mainExpVal.contains("| 0.750 ± 0.016 → 0.770 ± 0.016 (+0.020, **better**) |"), mainExpVal);
        // Brier 0.41..0.45 against 0.378, 0.422, 0.418, 0.462, 0.458 minus 0.03: mean-one lower, so better
        assertTrue(mainExpVal.contains("(-0.030, **better**)"), mainExpVal);
        assertTrue(mainExpVal.contains("(+0.000, n.s.)"), mainExpVal); // auroc and ece equal: no difference
        String noiseKlTest = rows.stream()
                .filter(l -> l.startsWith("| noise-2 | `kl*mi` | test |"))
                .findFirst()
                .orElseThrow();
        // differences -0.005, +0.005, ... : mean -0.001, not significant
        assertTrue(noiseKlTest.contains("(-0.001, n.s.)"), noiseKlTest);
        assertTrue(section.contains("| noise-2 | `uniform` | val | 0.730 ± 0.016 |"), section);
        assertTrue(section.indexOf("| main | `uniform`") < section.indexOf("| noise-2 | `uniform`"), section);
        assertTrue(section.indexOf("| noise-2 | `uniform`") < section.indexOf("| corrupt | `uniform`"), section);
        // the verdict on val, and the corrupted copy paired on its four common seeds
        assertTrue(
                section.contains("| main | `exp(-kl)*mi` | +0.020, **better** | **better** | **better** | 5 |"),
                section);
        assertTrue(
                section.contains("| corrupt | `kl*mi` | -0.000, n.s. |") || section.contains("| corrupt | `kl*mi` | "),
                section);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("| corrupt | `kl*mi` |") && l.endsWith("| 4 |")), section);
        assertTrue(
                md.contains("Weight scale `btw.scale: " + ScaleCondition.OTHER
                        + "` for [\"exp(-kl)*mi\",\"kl*mi\"] under the sweep conditions [\"noise-2\",\"corrupt\"]"),
                md);
        assertTrue(
                md.contains(ScaleCondition.VARIANT + " (`" + ScaleCondition.OVERRIDE + "`). " + ScaleCondition.VARIANT
                        + " runs for [\"exp(-kl)*mi\",\"kl*mi\"]."),
                md);
        // the verdict tally counts the non-default scale as one setting against each condition's own uniform; it
        // pairs whole seed lists only, so the corrupted copy (four seeds of five) is left out there
        String gain = ScaleCondition.variantIsMeanOne() ? "+0.040" : "+0.020";
        assertTrue(
                md.contains("| `exp(-kl)*mi` · " + ScaleCondition.VARIANT + " | 2 | 2 | 0 | 2 | 0 | toy "
                        + ScaleCondition.VARIANT + "-noise-2 " + gain + ";"),
                md);
    }
}

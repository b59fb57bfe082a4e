package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.bench.command.BenchSuiteCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny suite, offline, in seconds: a generated tabular regression data set (a strong modality, a weak one),
 * one seed, two epochs, a tiny model, a noise sweep with one added modality and the corrupted copy.
 */
class SuiteRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path config;

    @BeforeEach
    void data() throws Exception {
        Random r = new Random(5);
        List<String> rows = new ArrayList<>(List.of("id,split,label,a1,a2,b1"));
        for (int i = 0; i < 80; i++) {
            double a1 = r.nextGaussian();
            double a2 = r.nextGaussian();
            double b1 = r.nextGaussian();
            String split = i % 5 < 3 ? "train" : i % 5 == 3 ? "val" : "test";
            rows.add("i" + i + "," + split + "," + (a1 + 0.5 * b1) + "," + a1 + "," + a2 + "," + b1);
        }
        Files.write(tmp.resolve("m.csv"), rows);
        config = tmp.resolve("c.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "task: regression",
                        "data: { manifest: m.csv }",
                        "modalities:",
                        "  a: { encoder: columns, columns: [a1, a2] }",
                        "  b: { encoder: columns, columns: [b1] }",
                        ""));
    }

    private static SuitePlan tinyPlan() {
        return new SuitePlan(
                List.of(1111),
                List.of("kl*mi", "exp(-kl)*mi"),
                List.of(
                        "model.hidden=8",
                        "model.layers=1",
                        "model.experts=2",
                        "model.top_k=1",
                        "model.expert_hidden=8",
                        "model.ff_hidden=8",
                        "model.head_hidden=8",
                        "train.epochs=2",
                        "train.batch=16",
                        "train.threads=1"),
                List.of(0, 1),
                3,
                new double[] {0, 1, 4},
                true,
                true,
                Map.of(
                        "inference-instance",
                        List.of("btw.inference=instance"),
                        ScaleCondition.VARIANT,
                        List.of(ScaleCondition.OVERRIDE)),
                List.of("kl*mi"),
                SuitePlan.PHASES);
    }

    @Test
    void runsEveryConditionAndWritesThePage() throws Exception {
        Path work = tmp.resolve("work");
        new SuiteRunner(tinyPlan(), work, null).run(List.of(new SuiteDataset("toy", config)), "test");
        for (String c : List.of(
                "main",
                "noise-1",
                "corrupt",
                "variant-inference-instance",
                "references-out-of-fold",
                "references-validation",
                "sweep-out-of-fold-noise-1",
                "sweep-validation-noise-1",
                "sweep-out-of-fold-corrupt",
                "sweep-validation-corrupt",
                "variant-" + ScaleCondition.VARIANT,
                ScaleCondition.VARIANT + "-noise-1",
                ScaleCondition.VARIANT + "-corrupt")) {
            assertTrue(
                    Files.exists(
                            work.resolve("toy").resolve(c).resolve("seed-1111").resolve("metrics.json")),
                    c);
        }
        DatasetResults r = DatasetResults.read(work.resolve("toy"), List.of(1111));
        assertEquals(
                List.of("unimodal:a", "unimodal:b", "late-average", "uniform", "linear", "kl*mi", "exp(-kl)*mi"),
                r.methods("main"));
        assertEquals(List.of("exp(-kl)*mi"), r.methods("references-out-of-fold"));
        // the policy runs reused the main references and trained the fold models once per seed
        assertTrue(
                Files.exists(work.resolve("toy/references-out-of-fold/seed-1111/references/a/train-out-of-fold.csv")));
        assertTrue(Files.readString(work.resolve("toy/references-validation/seed-1111/config.yaml"))
                .contains("references: validation"));
        assertEquals(1, r.values("noise-1", "kl*mi", "test", "mae").length);
        assertTrue(r.lastRefresh("noise-1", "kl_mi", "mean_weight").containsKey("noise_1"));
        assertTrue(
                r.lastRefresh("corrupt", "kl_mi", "mean_weight").containsKey(DerivedData.copyName(r.bestUnimodal())));
        // the sweep reused the main run's references of the original modalities
        assertTrue(Files.exists(work.resolve("toy/noise-1/seed-1111/references/a/done.json")));
        // the policies under a sweep condition ran on that condition's data: the same noise modality, whose
        // reference (trained with the same seed) predicted the same values, and fold models for it too
        for (String split : List.of("train.csv", "test.csv")) {
            assertEquals(
                    Files.readString(work.resolve("toy/noise-1/seed-1111/references/noise_1/" + split)),
                    Files.readString(
                            work.resolve("toy/sweep-out-of-fold-noise-1/seed-1111/references/noise_1/" + split)),
                    split);
        }
        assertTrue(Files.exists(
                work.resolve("toy/sweep-out-of-fold-noise-1/seed-1111/references/noise_1/train-out-of-fold.csv")));
        // the original modalities' fold models were not trained again: their record (with its timing) was copied
        assertEquals(
                Files.readString(work.resolve("toy/references-out-of-fold/seed-1111/references/a/out-of-fold.json")),
                Files.readString(
                        work.resolve("toy/sweep-out-of-fold-noise-1/seed-1111/references/a/out-of-fold.json")));
        assertTrue(r.lastRefresh("sweep-validation-corrupt", "exp-kl_mi", "mean_weight")
                .containsKey(DerivedData.copyName(r.bestUnimodal())));
        assertEquals(List.of("exp(-kl)*mi"), r.methods("sweep-out-of-fold-corrupt"));

        // the scale variant runs both scale rules, the other variants keep theirs; the sweep-scale phase runs
        // both rules with the non-default scale on the hardest conditions' data, with their seeds and references
        assertEquals(List.of("kl*mi"), r.methods("variant-inference-instance"));
        assertEquals(List.of("kl*mi", "exp(-kl)*mi"), r.methods("variant-" + ScaleCondition.VARIANT));
        for (String c : List.of(ScaleCondition.VARIANT + "-noise-1", ScaleCondition.VARIANT + "-corrupt")) {
            assertEquals(List.of("exp(-kl)*mi", "kl*mi"), r.methods(c), c);
            assertTrue(Files.readString(work.resolve("toy").resolve(c).resolve("seed-1111/config.yaml"))
                    .contains("scale: " + ScaleCondition.OTHER));
        }
        for (String f : List.of("noise_1/test.csv", "a/done.json")) {
            assertEquals(
                    Files.readString(work.resolve("toy/noise-1/seed-1111/references/" + f)),
                    Files.readString(
                            work.resolve("toy/" + ScaleCondition.VARIANT + "-noise-1/seed-1111/references/" + f)),
                    f);
        }
        assertTrue(r.lastRefresh(ScaleCondition.VARIANT + "-noise-1", "kl_mi", "mean_weight")
                .containsKey("noise_1"));

        Path page = tmp.resolve("docs").resolve("RESULTS.md");
        Files.createDirectories(page.getParent());
        Path notes = tmp.resolve("notes.md");
        Files.writeString(notes, "## Notes\n\nhand-written\n");
        String md = new ResultsPage(work, page, page.getParent().resolve("results"), notes).write();
        assertTrue(Files.exists(page.getParent().resolve("results").resolve("toy-noise-sweep.svg")));
        for (String s : List.of(
                "## toy",
                "### Main table",
                "`unimodal:a`",
                "### Paired comparisons",
                "added pure-noise modalities",
                "results/toy-noise-sweep.svg",
                "corrupted copy",
                "### Trigger, inference policy and scale",
                "inference-instance",
                "### Reference policies",
                "### Reference policies (`btw.references`), condition `noise-1`",
                "### Reference policies (`btw.references`), condition `corrupt`",
                "for [\"exp(-kl)*mi\"] under the sweep conditions [\"noise-1\",\"corrupt\"]",
                "### Weight scale: sum-to-one against mean-one",
                "| condition | method | split | mae | corr |",
                "| main | `exp(-kl)*mi` | val |",
                "| noise-1 | `uniform` | test |",
                "| corrupt | `kl*mi` | test |",
                "| noise-1 | `kl*mi` |",
                "out-of-fold",
                "Choosing on validation",
                "val vs uniform",
                "hand-written")) {
            assertTrue(md.contains(s), s + " missing from\n" + md);
        }

        // a second run finds everything finished and trains nothing
        long before = Files.getLastModifiedTime(work.resolve("toy/main/seed-1111/metrics.json"))
                .toMillis();
        new SuiteRunner(tinyPlan(), work, null).run(List.of(new SuiteDataset("toy", config)), "test again");
        assertEquals(
                before,
                Files.getLastModifiedTime(work.resolve("toy/main/seed-1111/metrics.json"))
                        .toMillis());
        assertTrue(Files.readString(work.resolve("suite.json")).contains("test again"));

        // an invocation stopped before it finished (no "seconds") and resumed by a later one says so
        Path suiteJson = work.resolve("suite.json");
        String finished = new ResultsPage(work, page, page.getParent().resolve("results"), notes).write();
        assertFalse(finished.contains("stopped before it finished"), finished);
        ObjectNode suite = (ObjectNode) JSON.readTree(suiteJson.toFile());
        ((ObjectNode) suite.get("invocations").get(0)).remove("seconds");
        JSON.writeValue(suiteJson.toFile(), suite);
        String stopped = new ResultsPage(work, page, page.getParent().resolve("results"), notes).write();
        assertTrue(stopped.contains("time taken: stopped before it finished"), stopped);
        assertFalse(stopped.contains("not finished when this page was written"), stopped);
    }

    @Test
    void commandRunsAConfigGivenDataSetWithoutTheNetwork() throws Exception {
        BenchSuiteCommand cmd = new BenchSuiteCommand();
        Path work = tmp.resolve("w");
        CommandLine line = new DefaultParser().parse(cmd.options(), new String[] {
            "--quick",
            "--config",
            "toy=" + config,
            "--work",
            work.toString(),
            "--seeds",
            "1",
            "--no-sweeps",
            "--set",
            "train.epochs=2",
            "--quiet"
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = cmd.run(line, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        String md = Files.readString(work.resolve("RESULTS.md"));
        assertTrue(md.contains("btw bench suite --quick --config <NAME=PATH> --work <DIR> --seeds 1 --no-sweeps"), md);
        assertTrue(md.contains("`train.epochs=2`") && md.contains("## toy"), md);
    }

    @Test
    void twoJobsTrainWhatOneJobTrainsIdentically() throws Exception {
        BenchSuiteCommand cmd = new BenchSuiteCommand();
        List<Path> works = List.of(tmp.resolve("one"), tmp.resolve("two"));
        for (int i = 0; i < 2; i++) {
            CommandLine line = new DefaultParser().parse(cmd.options(), new String[] {
                "--quick",
                "--config",
                "toy=" + config,
                "--work",
                works.get(i).toString(),
                "--seeds",
                "1,2,3",
                "--no-sweeps",
                "--set",
                "train.epochs=2",
                "--quiet",
                "--jobs",
                Integer.toString(i + 1)
            });
            assertEquals(
                    0,
                    cmd.run(
                            line,
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            System.err));
        }
        for (String seed : List.of("seed-1", "seed-2", "seed-3")) {
            Path a = works.get(0).resolve("toy/main").resolve(seed).resolve("metrics.json");
            Path b = works.get(1).resolve("toy/main").resolve(seed).resolve("metrics.json");
            assertEquals(Files.readString(a), Files.readString(b), seed);
            assertTrue(!Files.exists(b.resolveSibling("suite.lock")), "lock left in " + b.getParent());
        }
        assertTrue(Files.readString(works.get(1).resolve("suite.json")).contains("\"jobs\" : 2"));
    }
}

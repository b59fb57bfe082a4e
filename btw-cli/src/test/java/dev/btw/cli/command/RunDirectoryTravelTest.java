package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.run.RunDirectory;
import dev.btw.cli.Btw;
import dev.btw.core.config.BtwConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory travels alone: copied to another folder, with the manifest, the config, the feature store and the
 * training folder deleted, {@code btw export} (plain and {@code --end-to-end}) and {@code btw report} work on the
 * copy; so they do on a copy written before {@code model.json} existed. An encoder spec the copy refers to by path
 * and that is not on this machine stops {@code export --end-to-end} with exit status 2 naming it.
 */
class RunDirectoryTravelTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A tabular classification data set and its config in {@code folder}; returns the config file. */
    private static Path project(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random r = new Random(7);
        List<String> rows = new ArrayList<>(List.of("id,split,label,a1,a2,b1"));
        for (int i = 0; i < 60; i++) {
            double a1 = r.nextGaussian();
            double b1 = r.nextGaussian();
            String split = i % 5 < 3 ? "train" : i % 5 == 3 ? "val" : "test";
            rows.add("i" + i + "," + split + "," + (a1 + 0.5 * b1 > 0 ? "up" : "down") + "," + a1 + ","
                    + r.nextGaussian() + "," + b1);
        }
        Files.write(folder.resolve("m.csv"), rows);
        Path config = folder.resolve("c.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "task: classification",
                        "data: { manifest: m.csv }",
                        "encode: { store: features }",
                        "modalities:",
                        "  a: { encoder: columns, columns: [a1, a2] }",
                        "  b: { encoder: columns, columns: [b1] }",
                        "model: { hidden: 8, layers: 1, experts: 2, top_k: 1, expert_hidden: 8, ff_hidden: 8, head_hidden: 8 }",
                        "train: { epochs: 2, batch: 16, threads: 1 }",
                        ""));
        return config;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void exportAndReportWorkOnACopyWithNothingElsePresent() throws Exception {
        Path origin = tmp.resolve("origin");
        Path config = project(origin);
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config.toString(),
                        "--out",
                        origin.resolve("run").toString(),
                        "--methods",
                        // linear first: the default export skips it (it has no fusion model) and takes kl*mi
                        "uniform,linear,kl*mi,unimodal:a",
                        "--seeds",
                        "2",
                        "--quiet"),
                err());
        Path copy = tmp.resolve("elsewhere").resolve("run");
        copy(origin.resolve("run"), copy);
        delete(origin);
        assertFalse(Files.exists(origin));

        Path plain = tmp.resolve("elsewhere").resolve("plain.onnx");
        assertEquals(0, run("export", "--run", copy.toString(), "--out", plain.toString()), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("exported kl*mi (seed 1111"), out.toString());
        assertTrue(Files.size(plain) > 0);
        Path merged = tmp.resolve("elsewhere").resolve("e2e.onnx");
        assertEquals(0, run("export", "--run", copy.toString(), "--out", merged.toString(), "--end-to-end"), err());
        assertTrue(Files.size(merged) > 0);
        assertEquals(
                0,
                run(
                        "export",
                        "--run",
                        copy.toString(),
                        "--method",
                        "unimodal:a",
                        "--seed",
                        "1112",
                        "--out",
                        tmp.resolve("elsewhere").resolve("a.onnx").toString()),
                err());
        err.reset();
        assertEquals(
                2,
                run(
                        "export",
                        "--run",
                        copy.toString(),
                        "--method",
                        "linear",
                        "--out",
                        tmp.resolve("elsewhere").resolve("linear.onnx").toString()));
        assertTrue(err().contains("'linear' is the early-fusion linear baseline"), err());
        assertFalse(Files.exists(tmp.resolve("elsewhere").resolve("linear.onnx")));
        Path page = tmp.resolve("elsewhere").resolve("report.html");
        assertEquals(0, run("report", "--run", copy.toString(), "--out", page.toString()), err());
        String html = Files.readString(page);
        assertTrue(html.contains("kl*mi") && html.contains("unimodal:a"), html);

        // a run written before model.json existed: the same export, the same report
        Files.delete(copy.resolve(RunDirectory.MODEL));
        Path legacy = tmp.resolve("elsewhere").resolve("legacy.onnx");
        assertEquals(0, run("export", "--run", copy.toString(), "--out", legacy.toString()), err());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(legacy));
        Path legacyPage = tmp.resolve("elsewhere").resolve("legacy.html");
        assertEquals(0, run("report", "--run", copy.toString(), "--out", legacyPage.toString()), err());
        // the pages differ only in the charts' clip ids, which the SVG library draws from the clock
        assertEquals(
                html.replaceAll("_[0-9]+clip", "_clip"),
                Files.readString(legacyPage).replaceAll("_[0-9]+clip", "_clip"));
    }

    @Test
    void endToEndExportNamesAnEncoderSpecThatDidNotTravel() throws Exception {
        Path origin = tmp.resolve("origin");
        Path config = project(origin);
        // the config names modality a's encoder by a path relative to it; the features are the tabular ones (only
        // the reference the run records matters here)
        Path spec = origin.resolve("spec");
        Files.createDirectories(spec);
        Files.writeString(
                spec.resolve("spec.yaml"),
                String.join(
                        "\n",
                        "name: spec",
                        "modality: text",
                        "engine: onnx",
                        "files:",
                        "  model: { local: model.onnx, sha256: " + "a".repeat(64) + " }",
                        "  tokenizer: { local: tokenizer.json, sha256: " + "a".repeat(64) + " }",
                        "inputs:",
                        "  - { name: input_ids, type: int64, shape: [-1, -1] }",
                        "  - { name: attention_mask, type: int64, shape: [-1, -1] }",
                        "preprocess: { type: text, tokenizer: tokenizer, max_length: 16 }",
                        "pooling: mean",
                        "dimension: 2",
                        ""));
        Path withSpec = origin.resolve("text.yaml");
        Files.writeString(
                withSpec,
                Files.readString(config)
                        .replace("a: { encoder: columns, columns: [a1, a2] }", "a: { encoder: ./spec, column: t }"));
        Path runDir = origin.resolve("run");
        new FusionExperiment(
                        BtwConfig.load(withSpec, List.of()),
                        TabularFeatures.load(BtwConfig.load(config, List.of())),
                        runDir)
                .withMethods(List.of("uniform"))
                .run();

        // on the training machine the spec is found (its model file is not there: that, not the path, blocks)
        assertEquals(
                2,
                run(
                        "export",
                        "--run",
                        runDir.toString(),
                        "--out",
                        tmp.resolve("x.onnx").toString(),
                        "--end-to-end"));
        assertTrue(err().contains("a (spec)") && err().contains("not fetched"), err());

        Path copy = tmp.resolve("elsewhere").resolve("run");
        copy(runDir, copy);
        delete(origin);
        assertEquals(
                2,
                run(
                        "export",
                        "--run",
                        copy.toString(),
                        "--out",
                        tmp.resolve("y.onnx").toString(),
                        "--end-to-end"));
        String e = err();
        assertTrue(e.contains("a (" + spec.toAbsolutePath() + ")") && e.contains("not on this machine"), e);
        assertEquals(1, e.strip().lines().count(), e);
        // without --end-to-end the encoders are not needed
        assertEquals(
                0,
                run(
                        "export",
                        "--run",
                        copy.toString(),
                        "--out",
                        tmp.resolve("z.onnx").toString()),
                err());
    }
}

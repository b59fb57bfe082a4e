package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.cli.Btw;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path config;

    @BeforeEach
    void data() throws Exception {
        Random r = new Random(3);
        List<String> rows = new ArrayList<>(List.of("id,split,label,a1,a2,b1"));
        for (int i = 0; i < 60; i++) {
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
                        "model: { hidden: 8, layers: 1, experts: 2, top_k: 1, expert_hidden: 8, ff_hidden: 8, head_hidden: 8 }",
                        "train: { epochs: 2, batch: 16 }",
                        ""));
    }

    private int run(String... args) {
        return new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badConfigValueExitsTwoNamingTheKey() {
        int status = run(
                "train",
                "--config",
                config.toString(),
                "--out",
                tmp.resolve("run").toString(),
                "--set",
                "model.gating=cosine");
        assertEquals(2, status);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("model.gating"), e);
        assertEquals(1, e.strip().lines().count(), e);
    }

    @Test
    void unknownMethodExitsTwo() {
        int status = run(
                "train",
                "--config",
                config.toString(),
                "--out",
                tmp.resolve("run").toString(),
                "--methods",
                "uniform,kl*foo");
        assertEquals(2, status);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("kl*foo"), e);
        // the library names no CLI option; the command maps its message to the option the user gave
        assertTrue(e.contains("--methods: unknown method 'kl*foo'"), e);
    }

    @Test
    void trainsAndWritesTheRunDirectory() throws Exception {
        Path dir = tmp.resolve("run");
        int status = run(
                "train",
                "--config",
                config.toString(),
                "--out",
                dir.toString(),
                "--methods",
                "uniform,kl*mi",
                "--seeds",
                "2",
                "--quiet");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String metrics = Files.readString(dir.resolve("metrics.json"));
        assertTrue(metrics.contains("\"kl*mi\"") && metrics.contains("\"uniform\""), metrics);
        assertTrue(Files.exists(dir.resolve("predictions/seed-1112/kl_mi-test.csv")));
        assertTrue(Files.exists(dir.resolve("config.yaml")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("kl*mi"));
    }

    @Test
    void aMalformedOverrideNamesTheOption() {
        int status = run(
                "train",
                "--config",
                config.toString(),
                "--out",
                tmp.resolve("run").toString(),
                "--set",
                "train.epochs");
        assertEquals(2, status);
        String e = err.toString(StandardCharsets.UTF_8);
        // the library names a "config override"; the command names the option the user gave
        assertTrue(e.contains("--set: config override 'train.epochs': expected key.path=value"), e);
        assertEquals(1, e.strip().lines().count(), e);
    }

    @Test
    void exportingARunWithoutRecordedInstanceSettingsNamesTheResumeOption() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config.toString(),
                        "--out",
                        dir.toString(),
                        "--methods",
                        "kl*mi",
                        "--seeds",
                        "1",
                        "--set",
                        "btw.inference=instance",
                        "--set",
                        "train.lr=0.002",
                        "--set",
                        "train.epochs=8",
                        "--quiet"),
                err.toString(StandardCharsets.UTF_8));
        List<Path> recorded;
        try (var files = Files.walk(dir.resolve("checkpoints"))) {
            recorded = files.filter(f -> f.getFileName().toString().equals("inference.json"))
                    .toList();
        }
        assertEquals(1, recorded.size(), "the run records its instance-policy settings");
        Files.delete(recorded.get(0));
        err.reset();
        int status = run(
                "export",
                "--run",
                dir.toString(),
                "--out",
                tmp.resolve("m.onnx").toString());
        assertEquals(2, status);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(
                e.contains("inference.json is missing")
                        && e.contains("resume the same training run")
                        && e.contains("'btw train' command again with --resume"),
                e);
    }
}

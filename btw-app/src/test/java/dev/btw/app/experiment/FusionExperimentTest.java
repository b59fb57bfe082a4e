package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end training on the real diabetes data (442 patients, three views) with a small model. */
class FusionExperimentTest {

    @TempDir
    Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(
                FusionExperimentTest.class.getResource("/diabetes/" + name).toURI());
    }

    private BtwConfig config(Path manifestDir, String... overrides) throws Exception {
        Path yaml = manifestDir.resolve("diabetes.yaml");
        if (!Files.exists(yaml)) {
            Files.copy(resource("diabetes.yaml"), yaml);
        }
        return BtwConfig.load(yaml, List.of(overrides));
    }

    private Path copyData() throws Exception {
        Path d = tmp.resolve("data");
        Files.createDirectories(d);
        Files.copy(resource("diabetes.csv"), d.resolve("diabetes.csv"));
        return d;
    }

    @Test
    void everyMethodTrainsLearnsAndWritesTheRunDirectory() throws Exception {
        BtwConfig config = config(copyData(), "btw.rule=kl*mi");
        FusionData data = TabularFeatures.load(config);
        Path out = tmp.resolve("run");
        ObjectNode metrics = new FusionExperiment(config, data, out).run();

        for (String f : List.of(
                "config.yaml",
                "provenance.json",
                "metrics.json",
                "predictions/uniform-test.csv",
                "predictions/kl_mi-test.csv",
                "predictions/late-average-val.csv",
                "predictions/unimodal-serum-train.csv",
                "checkpoints/kl_mi/seed-1111/best.ckpt",
                "checkpoints/kl_mi/seed-1111/last.ckpt",
                "weights/kl_mi/seed-1111/refresh-0001.csv",
                "weights/kl_mi/seed-1111/refresh-0001.json",
                "references/body/test.csv")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonNode methods = metrics.get("methods");
        for (String m : List.of(
                "unimodal:demographics", "unimodal:body", "unimodal:serum", "late-average", "uniform", "kl*mi")) {
            assertTrue(methods.has(m), m);
            assertEquals(1, methods.get(m).get("test").get("mae").get("runs").size());
        }
        // chance: predicting the train mean for every test patient
        double[] train = data.split(Split.TRAIN).labels();
        double mean = Arrays.stream(train).average().orElseThrow();
        double chance = Arrays.stream(data.split(Split.TEST).labels())
                .map(y -> Math.abs(y - mean))
                .average()
                .orElseThrow();
        for (String m : List.of("uniform", "kl*mi")) {
            double mae = methods.get(m).get("test").get("mae").get("mean").asDouble();
            assertTrue(mae < 0.85 * chance, m + " test MAE " + mae + " vs chance " + chance);
            double r2 = methods.get(m).get("test").get("r2").get("mean").asDouble();
            assertTrue(r2 > 0.2, m + " r2 " + r2);
        }
    }

    @Test
    void resumeAfterACrashEndsWithTheSameMetricsAsAnUninterruptedRun() throws Exception {
        Path d = copyData();
        BtwConfig config = config(d, "train.epochs=5");
        FusionData data = TabularFeatures.load(config);
        List<String> methods = List.of("kl*mi");
        Path a = tmp.resolve("a");
        new FusionExperiment(config, data, a).withMethods(methods).run();
        Path b = tmp.resolve("b");
        PrintStream crashing = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void println(String x) {
                if (x.startsWith("kl*mi seed 1111 epoch 3/")) {
                    throw new IllegalStateException("simulated kill");
                }
            }
        };
        assertThrows(
                IllegalStateException.class,
                () -> new FusionExperiment(config, data, b)
                        .withMethods(methods)
                        .withProgress(crashing)
                        .run());
        assertTrue(!Files.exists(b.resolve("metrics.json")));
        new FusionExperiment(config, data, b)
                .withMethods(methods)
                .withResume(true)
                .run();
        assertEquals(Files.readString(a.resolve("metrics.json")), Files.readString(b.resolve("metrics.json")));

        Path c = tmp.resolve("c");
        new FusionExperiment(config, data, c).withMethods(methods).run();
        assertEquals(
                Files.readString(a.resolve("metrics.json")),
                Files.readString(c.resolve("metrics.json")),
                "two runs with one seed give identical metrics");
    }

    @Test
    void aDivergedLossStopsTheMethodNamingMethodSeedAndEpoch() throws Exception {
        // Adam's step is about lr whatever the gradient: at 1e30 the weights overflow float32 within an epoch
        BtwConfig config = config(copyData(), "train.epochs=2", "train.lr=1e30");
        FusionData data = TabularFeatures.load(config);
        BtwException e = assertThrows(
                BtwException.class,
                () -> new FusionExperiment(config, data, tmp.resolve("run"))
                        .withMethods(List.of("kl*mi"))
                        .run());
        assertTrue(
                e.getMessage().contains("method unimodal:")
                        && e.getMessage().contains("seed 1111")
                        && e.getMessage().contains("epoch 1")
                        && e.getMessage().contains("diverged"),
                e.getMessage());
    }

    @Test
    void missingModalitiesTrainAndEvaluate() throws Exception {
        Path d = copyData();
        List<String> lines = Files.readAllLines(d.resolve("diabetes.csv"));
        for (int i = 1; i < lines.size(); i++) {
            if (i % 4 == 0) {
                String[] c = lines.get(i).split(",", -1);
                c[5] = "";
                c[6] = "";
                lines.set(i, String.join(",", c));
            }
        }
        Files.write(d.resolve("diabetes.csv"), lines);
        BtwConfig config = config(d, "train.epochs=3");
        FusionData data = TabularFeatures.load(config);
        Path out = tmp.resolve("run");
        ObjectNode metrics = new FusionExperiment(config, data, out)
                .withMethods(List.of("unimodal:body", "late-average", "kl*mi"))
                .run();
        double mae = metrics.get("methods")
                .get("kl*mi")
                .get("test")
                .get("mae")
                .get("mean")
                .asDouble();
        assertTrue(Double.isFinite(mae));
        long bodyRows = Files.readAllLines(out.resolve("predictions/unimodal-body-test.csv"))
                        .size()
                - 1;
        long allRows =
                Files.readAllLines(out.resolve("predictions/kl_mi-test.csv")).size() - 1;
        assertTrue(bodyRows < allRows, bodyRows + " vs " + allRows);
        List<String> w = Files.readAllLines(out.resolve("weights/kl_mi/seed-1111/refresh-0001.csv"));
        String header = w.get(0);
        int bodyCol = List.of(header.split(",")).indexOf("body");
        String missingId = data.split(Split.TRAIN)
                .ids()
                .get(IntStream.range(0, data.split(Split.TRAIN).size())
                        .filter(i -> !data.split(Split.TRAIN).present("body")[i])
                        .findFirst()
                        .orElseThrow());
        for (String row : w) {
            if (row.startsWith(missingId + ",")) {
                assertEquals(0.0, Double.parseDouble(row.split(",")[bodyCol]), "missing modality weighs 0");
            }
        }
    }
}

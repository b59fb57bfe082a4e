package dev.btw.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.io.Json;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.djl.export.EndToEndPlan;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.model.MoeFusionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory describes its own model (Tribuo-style round trips): a trained run's {@code model.json} holds the
 * spec it trained, {@link TrainedFusion} loads exactly that spec, the description survives write then read, and a
 * run written before {@code model.json} existed gives the same description from its other files.
 */
class RunDirectoryTest {

    @TempDir
    Path tmp;

    /** Three tabular modalities, three classes (not named in the config, so read from the data). */
    private BtwConfig config(Path folder, String... overrides) throws Exception {
        Files.createDirectories(folder);
        Random r = new Random(11);
        List<String> rows = new ArrayList<>(List.of("id,split,label,a1,a2,b1,c1"));
        for (int i = 0; i < 90; i++) {
            double a1 = r.nextGaussian();
            double b1 = r.nextGaussian();
            double s = a1 + 0.5 * b1;
            String label = s > 0.3 ? "x" : s > -0.5 ? "y" : "z";
            String split = i % 5 < 3 ? "train" : i % 5 == 3 ? "val" : "test";
            rows.add("i" + i + "," + split + "," + label + "," + a1 + "," + r.nextGaussian() + "," + b1 + ","
                    + r.nextGaussian());
        }
        Files.write(folder.resolve("m.csv"), rows);
        Files.writeString(
                folder.resolve("c.yaml"),
                String.join(
                        "\n",
                        "task: classification",
                        "data: { manifest: m.csv }",
                        "modalities:",
                        "  a: { encoder: columns, columns: [a1, a2] }",
                        "  b: { encoder: columns, columns: [b1] }",
                        "  c: { encoder: columns, columns: [c1] }",
                        "model: { hidden: 8, layers: 1, experts: 3, top_k: 2, expert_hidden: 8, ff_hidden: 6, head_hidden: 5,"
                                + " gating: softmax, dropout: 0.2 }",
                        "train: { epochs: 2, batch: 16, threads: 1 }",
                        ""));
        return BtwConfig.load(folder.resolve("c.yaml"), List.of(overrides));
    }

    @Test
    void theLoadedSpecEqualsTheTrainedOneAndSurvivesWriteThenRead() throws Exception {
        BtwConfig config = config(tmp.resolve("data"), "btw.inference=instance");
        FusionData data = TabularFeatures.load(config);
        Path out = tmp.resolve("run");
        new FusionExperiment(config, data, out)
                .withMethods(List.of("uniform", "kl*mi", "unimodal:a", "late-average"))
                .withSeeds(List.of(5, 6))
                .run();
        MoeFusionSpec trained = FusionExperiment.spec(config, data);

        RunDirectory dir = RunDirectory.of(out);
        assertTrue(Files.isRegularFile(dir.model()));
        RunModel model = dir.readModel();
        assertEquals(trained, model.fusion());
        assertEquals(Task.CLASSIFICATION, model.task());
        assertEquals(data.classes(), model.classes());
        assertEquals(List.of("x", "y", "z"), model.classes());
        assertEquals(InferencePolicy.INSTANCE, model.inference());
        // metrics.json's order: the references first, then the other methods in the order given
        assertEquals(List.of("unimodal:a", "uniform", "kl*mi", "late-average"), model.methods());
        List<String> inMetrics = new ArrayList<>();
        dir.readMetrics().path("methods").fieldNames().forEachRemaining(inMetrics::add);
        assertEquals(inMetrics, model.methods());
        assertEquals(List.of(5, 6), model.seeds());
        assertEquals(Map.of("a", "columns", "b", "columns", "c", "columns"), model.encoders());

        try (TrainedFusion t = TrainedFusion.load(out, "kl*mi", 6)) {
            assertEquals(trained, t.model().spec());
            assertEquals(model.classes(), t.classes());
        }
        try (TrainedFusion t = TrainedFusion.load(out, "unimodal:a", null)) {
            assertEquals(trained.restrictTo("a"), t.model().spec());
            assertNotEquals(trained, t.model().spec());
        }

        // write -> read -> equals, through the file's text
        RunModel again = RunModel.fromJson(Json.MAPPER.readTree(RunDirectory.pretty(model.toJson())), "test");
        assertEquals(model, again);
        assertEquals(model.hashCode(), again.hashCode());
        assertEquals(Files.readString(dir.model()), RunDirectory.pretty(again.toJson()));

        // a run written before model.json existed: the same description, rebuilt from its other files
        byte[] before;
        try (TrainedFusion t = TrainedFusion.load(out, null, null)) {
            before = t.toOnnx().build().toByteArray();
        }
        Files.delete(dir.model());
        assertEquals(model, dir.readModel());
        try (TrainedFusion t = TrainedFusion.load(out, null, null)) {
            assertEquals(trained, t.model().spec());
            assertEquals("kl*mi", t.method());
            assertEquals(5, t.seed());
            assertTrue(
                    Arrays.equals(before, t.toOnnx().build().toByteArray()),
                    "the export of a run without model.json differs");
        }
    }

    @Test
    void aMalformedModelFileNamesTheFileAndTheKey() throws Exception {
        BtwConfig config = config(tmp.resolve("data"));
        FusionData data = TabularFeatures.load(config);
        Path out = tmp.resolve("run");
        new FusionExperiment(config, data, out).withMethods(List.of("uniform")).run();
        RunDirectory dir = RunDirectory.of(out);
        ObjectNode root = (ObjectNode) RunDirectory.readJson(dir.model());
        ((ObjectNode) root.get("fusion")).remove("hidden");
        RunDirectory.writeJson(dir.model(), root);
        BtwException e = assertThrows(BtwException.class, () -> TrainedFusion.load(out, null, null));
        assertTrue(e.getMessage().contains(RunDirectory.MODEL) && e.getMessage().contains("'hidden'"), e.getMessage());

        root.put("format", RunModel.FORMAT + 1);
        RunDirectory.writeJson(dir.model(), root);
        e = assertThrows(BtwException.class, dir::readModel);
        assertTrue(e.getMessage().contains("format " + (RunModel.FORMAT + 1)), e.getMessage());
    }

    /**
     * An encoder named by a path relative to the config is recorded as that folder's absolute path: the run's own
     * config.yaml would resolve it against the run directory. Once the folder is gone, the end-to-end plan names the
     * modality and the reference instead of failing on an unknown encoder.
     */
    @Test
    void anEncoderPathIsRecordedResolvedAndItsAbsenceIsNamed() throws Exception {
        Path folder = tmp.resolve("project");
        BtwConfig tabular = config(folder);
        FusionData data = TabularFeatures.load(tabular);
        // the spec the config names: a copy of a shipped spec, in a folder beside the config
        Path spec = folder.resolve("specs").resolve("minilm-l6-v2");
        Files.createDirectories(spec);
        Files.copy(repositoryModels().resolve("minilm-l6-v2").resolve("spec.yaml"), spec.resolve("spec.yaml"));
        Files.writeString(
                folder.resolve("text.yaml"),
                Files.readString(folder.resolve("c.yaml"))
                        .replace(
                                "a: { encoder: columns, columns: [a1, a2] }",
                                "a: { encoder: ./specs/minilm-l6-v2, column: t }"));
        BtwConfig withSpec = BtwConfig.load(folder.resolve("text.yaml"), List.of());
        Path out = tmp.resolve("run");
        // the features are the tabular ones; only the recorded reference matters here
        new FusionExperiment(withSpec, data, out)
                .withMethods(List.of("uniform"))
                .run();

        RunModel model = RunDirectory.of(out).readModel();
        assertEquals(spec.toAbsolutePath().toString(), model.encoders().get("a"));
        assertEquals("columns", model.encoders().get("b"));
        EndToEndPlan found = EndToEndPlan.of(
                model.encoders(), out, List.of("a", "b", "c"), new AssetFetcher(tmp.resolve("empty-cache")));
        assertFalse(found.possible());
        assertTrue(
                found.blockers().containsKey("a (minilm-l6-v2)"),
                found.blockers().toString());
        assertTrue(found.describeBlockers().contains("not fetched"), found.describeBlockers());

        Files.delete(spec.resolve("spec.yaml"));
        EndToEndPlan missing = EndToEndPlan.of(
                model.encoders(), out, List.of("a", "b", "c"), new AssetFetcher(tmp.resolve("empty-cache")));
        String why = missing.describeBlockers();
        assertTrue(why.contains("a (" + spec.toAbsolutePath() + ")") && why.contains("not on this machine"), why);
    }

    private static Path repositoryModels() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("models");
            }
        }
        throw new IllegalStateException("no models/ folder above " + Path.of("").toAbsolutePath());
    }
}

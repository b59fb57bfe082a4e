package dev.btw.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.MethodName;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.predict.ManifestPredictor;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.djl.export.FusionOnnxExporter;
import dev.btw.djl.export.OnnxChecker;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.training.InstancePolicySettings;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs trained for real under {@code btw.inference=instance} export to ONNX, and ONNX Runtime, fed the test
 * split's raw inputs (NaN rows for missing modalities), gives back the run's own test predictions to 1e-5: the
 * unimodal references, the first pass under the modality prior, the per-instance weights and the final pass all
 * live in the graph. {@code btw predict}'s path (DJL's ONNX Runtime engine over the manifest) gives the same.
 */
class InstancePolicyExportTest {

    private static final int N = 150;
    private static final int[] DIMS = {3, 2, 4};
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1} modalities, {2}, {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                "REGRESSION; 2; exp(-kl)*mi; sum-to-one; laplace",
                "CLASSIFICATION; 2; kl*mi; sum-to-one; laplace",
                "REGRESSION; 3; kl*mi; mean-one; softmax",
                "CLASSIFICATION; 3; exp(-kl)*mi; mean-one; laplace"
            })
    void onnxRuntimeGivesTheRunsTestPredictions(Task task, int modalities, String rule, String scale, String gating)
            throws Exception {
        // DJL's engine creates ONNX Runtime's environment with its own options, so it goes first
        Engine.getEngine("OnnxRuntime");
        Data data = write(task, modalities, new Random(modalities * 17L + task.ordinal()));
        BtwConfig config =
                BtwConfig.load(data.yaml, List.of("btw.rule=" + rule, "btw.scale=" + scale, "model.gating=" + gating));
        FusionData fusionData = TabularFeatures.load(config);
        Path run = tmp.resolve("run");
        new FusionExperiment(config, fusionData, run).withMethods(List.of(rule)).run();
        Path ckpt = run.resolve("checkpoints").resolve(MethodName.slug(rule)).resolve("seed-7");
        assertTrue(Files.isRegularFile(ckpt.resolve(InstancePolicySettings.FILE)), "the run records the settings");

        Path model = tmp.resolve("model.onnx");
        Path priorOnly = tmp.resolve("prior-only.onnx");
        try (TrainedFusion trained = TrainedFusion.load(run, rule, null)) {
            assertEquals(
                    InferencePolicy.INSTANCE,
                    trained.policy(),
                    "the best checkpoint must come after a refresh, or the test exports the uniform policy");
            trained.toOnnx().write(model);
            // the same model under its modality prior only, to show that the comparison below can tell them apart
            new FusionOnnxExporter(trained.model().block())
                    .export(
                            task,
                            trained.weights(),
                            trained.standardisation(),
                            task == Task.REGRESSION ? labelScale(run) : null)
                    .write(priorOnly);
        }
        assertEquals("instance", metadata(model).get(OnnxMetadata.INFERENCE));

        List<String> ids = fusionData.split(Split.TEST).ids();
        Map<String, double[]> expected = readPredictions(
                run.resolve("predictions").resolve(MethodName.slug(rule) + "-" + Split.TEST.label() + ".csv"));
        assertEquals(ids.size(), expected.size(), "the fused model predicts every test instance");
        Outputs onnx = runOnnx(model, data, ids, modalities, task);
        float[][] actual = onnx.values();
        double worst = 0;
        for (int i = 0; i < ids.size(); i++) {
            double[] e = expected.get(ids.get(i));
            assertEquals(e.length, actual[i].length);
            for (int c = 0; c < e.length; c++) {
                worst = Math.max(worst, Math.abs(e[c] - actual[i][c]));
            }
        }
        assertTrue(worst < TOLERANCE, "largest difference " + worst);
        List<String> names = new ArrayList<>(data.raw.keySet());
        assertEquals(
                new ObjectMapper().writeValueAsString(names),
                metadata(model).get(OnnxMetadata.MODALITY_WEIGHTS),
                "the metadata names the columns of modality_weights");
        instanceWeightsAreThePolicys(onnx.weights(), data, ids, names, scale);
        Outputs priorOutputs = runOnnx(priorOnly, data, ids, modalities, task);
        float[][] prior = priorOutputs.values();
        Map<String, Double> priorWeights;
        try (TrainedFusion trained = TrainedFusion.load(run, rule, null)) {
            priorWeights = trained.weights();
        }
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < names.size(); j++) {
                float[] x = data.raw.get(names.get(j))[data.ids.indexOf(ids.get(i))];
                double want = x == null ? 0 : priorWeights.get(names.get(j));
                assertEquals(want, priorOutputs.weights()[i][j], 1e-6, "prior-only graph: the prior times presence");
            }
        }
        double priorWorst = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int c = 0; c < prior[i].length; c++) {
                priorWorst = Math.max(priorWorst, Math.abs(expected.get(ids.get(i))[c] - prior[i][c]));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "instance export %s, %d modalities, %s, %s: max |ONNX - DJL| = %.3g over %d"
                        + " test instances (prior-only graph: %.3g)%n",
                task,
                modalities,
                rule,
                scale,
                worst,
                ids.size(),
                priorWorst);
        assertTrue(
                priorWorst > 100 * TOLERANCE,
                "the instance weights change the predictions (prior only: " + priorWorst + ")");

        // btw predict's path: the manifest through DJL's ONNX Runtime engine
        Path predicted = tmp.resolve("predicted.csv");
        assertEquals(N, new ManifestPredictor(model, config, null).predict(data.csv, predicted));
        Map<String, double[]> served = readPredictions(predicted);
        List<String> header = List.of(Files.readAllLines(predicted).get(0).split(","));
        int firstWeight = header.indexOf(ManifestPredictor.WEIGHT_COLUMN_PREFIX + names.get(0));
        for (int j = 0; j < names.size(); j++) {
            assertEquals(
                    ManifestPredictor.WEIGHT_COLUMN_PREFIX + names.get(j),
                    header.get(firstWeight + j),
                    "btw predict writes one weight column per modality, in model order: " + header);
        }
        assertEquals(
                List.of(ManifestPredictor.NO_MODALITY),
                header.subList(firstWeight + names.size(), header.size()),
                "the weight columns come after the predictions, then the no_modality flag: " + header);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            double[] e = expected.get(id);
            double[] s = served.get(id);
            assertEquals(firstWeight - 1, e.length, "prediction columns before the weights: " + header);
            for (int c = 0; c < e.length; c++) {
                assertEquals(e[c], s[c], TOLERANCE, "btw predict, " + id);
            }
            for (int j = 0; j < names.size(); j++) {
                assertEquals(onnx.weights()[i][j], s[e.length + j], 1e-6, "btw predict's weight:" + names.get(j));
            }
        }

        if (modalities == 2 && task == Task.REGRESSION) {
            settingsOfOlderRunsAreRestoredByResume(config, fusionData, run, rule, ckpt);
        }
        OnnxChecker.assertValid(model);
    }

    /** A run without the settings file is refused with advice that works: resume without training restores it. */
    private static void settingsOfOlderRunsAreRestoredByResume(
            BtwConfig config, FusionData data, Path run, String rule, Path ckpt) throws Exception {
        Path file = ckpt.resolve(InstancePolicySettings.FILE);
        String recorded = Files.readString(file);
        Files.delete(file);
        BtwException e = assertThrows(
                InstancePolicySettings.NotRecordedException.class, () -> TrainedFusion.load(run, rule, null));
        assertTrue(
                e.getMessage().contains(InstancePolicySettings.FILE)
                        && e.getMessage().contains("resume the same training run")
                        && !e.getMessage().contains("--"),
                e.getMessage());
        Files.delete(ckpt.resolve("done.json"));
        new FusionExperiment(config, data, run)
                .withMethods(List.of(rule))
                .withResume(true)
                .run();
        assertEquals(recorded, Files.readString(file));
    }

    /** A synthetic data set: raw values kept for ONNX, written as a manifest and a config. */
    private record Data(Path csv, Path yaml, Map<String, float[][]> raw, List<String> ids) {}

    private Data write(Task task, int modalities, Random random) throws Exception {
        List<String> names = List.of("alpha", "beta", "gamma").subList(0, modalities);
        Map<String, float[][]> raw = new LinkedHashMap<>();
        for (int m = 0; m < modalities; m++) {
            raw.put(names.get(m), new float[N][]);
        }
        List<String> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,split,label");
        for (int m = 0; m < modalities; m++) {
            for (int j = 0; j < DIMS[m]; j++) {
                csv.append(',').append(names.get(m)).append(j);
            }
        }
        csv.append('\n');
        for (int i = 0; i < N; i++) {
            String id = String.format(Locale.ROOT, "i%03d", i);
            ids.add(id);
            String split = i < 90 ? "train" : i < 120 ? "val" : "test";
            // every fifth instance lacks one modality; one test instance lacks them all
            int dropped = i % 5 == 2 ? (i / 5) % modalities : -1;
            double signal = 0;
            double[] scores = new double[3];
            StringBuilder cells = new StringBuilder();
            for (int m = 0; m < modalities; m++) {
                float[] x = new float[DIMS[m]];
                for (int j = 0; j < DIMS[m]; j++) {
                    x[j] = (float) (random.nextGaussian() * (1 + m) + m);
                    signal += j == 0 ? (x[j] - m) / (1 + m) : 0;
                    scores[(j + m) % 3] += (x[j] - m) / (1 + m);
                }
                boolean missing = m == dropped || i == 140;
                raw.get(names.get(m))[i] = missing ? null : x;
                for (float v : x) {
                    cells.append(',').append(missing ? "" : Float.toString(v));
                }
            }
            String label;
            if (task == Task.REGRESSION) {
                label = Double.toString(0.8 * signal + 0.1 * random.nextGaussian() + 1.0);
            } else {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = scores[c] > scores[best] ? c : best;
                }
                label = "c" + best;
            }
            csv.append(id)
                    .append(',')
                    .append(split)
                    .append(',')
                    .append(label)
                    .append(cells)
                    .append('\n');
        }
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        Path manifest = dir.resolve("data.csv");
        Files.writeString(manifest, csv);
        StringBuilder yaml = new StringBuilder("task: " + task.name().toLowerCase(Locale.ROOT) + "\n"
                + "data: { manifest: data.csv, label: label }\nmodalities:\n");
        for (int m = 0; m < modalities; m++) {
            List<String> cols = new ArrayList<>();
            for (int j = 0; j < DIMS[m]; j++) {
                cols.add(names.get(m) + j);
            }
            yaml.append("  ")
                    .append(names.get(m))
                    .append(": { encoder: columns, columns: [")
                    .append(String.join(", ", cols))
                    .append("] }\n");
        }
        yaml.append("model: { hidden: 16, layers: 2, experts: 4, top_k: 2, expert_hidden: 16, ff_hidden: 16, "
                + "head_hidden: 16 }\n"
                + "train: { epochs: 8, batch: 16, lr: 0.002, patience: 10, seeds: [7], threads: 1 }\n"
                + "btw: { inference: instance }\n");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, yaml);
        return new Data(manifest, config, raw, ids);
    }

    /**
     * The instance policy's weights as the graph outputs them: 0 for a missing modality (all 0 for the instance
     * with none), positive where present, scaled as the run's scale says, and varying between instances.
     */
    private static void instanceWeightsAreThePolicys(
            float[][] w, Data data, List<String> ids, List<String> names, String scale) {
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int i = 0; i < ids.size(); i++) {
            double sum = 0;
            int present = 0;
            for (int j = 0; j < names.size(); j++) {
                boolean here = data.raw.get(names.get(j))[data.ids.indexOf(ids.get(i))] != null;
                if (here) {
                    assertTrue(w[i][j] > 0, ids.get(i) + " " + names.get(j) + ": " + w[i][j]);
                    present++;
                    lowest = Math.min(lowest, w[i][j]);
                    highest = Math.max(highest, w[i][j]);
                } else {
                    assertEquals(0f, w[i][j], ids.get(i) + " " + names.get(j) + " is missing");
                }
                sum += w[i][j];
            }
            double want = present == 0 ? 0 : scale.equals("mean-one") ? present : 1;
            assertEquals(want, sum, 1e-5, ids.get(i) + ": weights " + Arrays.toString(w[i]));
        }
        assertTrue(highest - lowest > 1e-3, "the weights differ between instances: " + lowest + " to " + highest);
    }

    /** The graph's two outputs, for the instances in order. */
    private record Outputs(float[][] values, float[][] weights) {}

    private static Outputs runOnnx(Path model, Data data, List<String> ids, int modalities, Task task)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = env.createSession(Files.readAllBytes(model), new OrtSession.SessionOptions())) {
            for (Map.Entry<String, float[][]> e : data.raw.entrySet()) {
                int dim = DIMS[new ArrayList<>(data.raw.keySet()).indexOf(e.getKey())];
                float[] flat = new float[ids.size() * dim];
                for (int i = 0; i < ids.size(); i++) {
                    float[] x = e.getValue()[data.ids.indexOf(ids.get(i))];
                    if (x == null) {
                        Arrays.fill(flat, i * dim, (i + 1) * dim, Float.NaN);
                    } else {
                        System.arraycopy(x, 0, flat, i * dim, dim);
                    }
                }
                feed.put(
                        e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {ids.size(), dim}));
            }
            assertEquals(modalities, feed.size());
            String output = task == Task.CLASSIFICATION ? "probabilities" : "prediction";
            try (OrtSession.Result result = session.run(feed)) {
                assertEquals(
                        List.of(output, OnnxMetadata.MODALITY_WEIGHTS_OUTPUT), List.copyOf(session.getOutputNames()));
                return new Outputs((float[][]) result.get(output).get().getValue(), (float[][])
                        result.get(OnnxMetadata.MODALITY_WEIGHTS_OUTPUT).get().getValue());
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** id to the prediction or the class probabilities, from a run's predictions file or btw predict's output. */
    private static Map<String, double[]> readPredictions(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int end = header.contains("label") ? header.indexOf("label") : header.size();
        Map<String, double[]> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] v = new double[end - 1];
            for (int c = 1; c < end; c++) {
                v[c - 1] = Double.parseDouble(cells[c]);
            }
            out.put(cells[0], v);
        }
        return out;
    }

    /** The fused model's label scaling, as the run recorded it. */
    private static Standardisation labelScale(Path run) throws Exception {
        JsonNode label = new ObjectMapper()
                .readTree(run.resolve(RunDirectory.STANDARDISATION).toFile())
                .get("label");
        return new Standardisation(
                new double[] {label.get("mean").get(0).asDouble()},
                new double[] {label.get("std").get(0).asDouble()});
    }

    private static Map<String, String> metadata(Path model) throws Exception {
        try (InputStream in = Files.newInputStream(model)) {
            Map<String, String> meta = new HashMap<>();
            for (OnnxMl.StringStringEntryProto p :
                    OnnxMl.ModelProto.parseFrom(in).getMetadataPropsList()) {
                meta.put(p.getKey(), p.getValue());
            }
            assertNotNull(meta.get(OnnxMetadata.FORMAT));
            return meta;
        }
    }
}

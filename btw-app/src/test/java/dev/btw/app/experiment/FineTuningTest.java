package dev.btw.app.experiment;

import static dev.btw.app.experiment.FineTuningRuns.parameters;
import static dev.btw.app.experiment.FineTuningRuns.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.btw.app.predict.ManifestPredictor;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.run.TrainedFusion;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import dev.btw.djl.training.SplitData;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a TorchScript encoder with the fusion model, on 600 real MNIST digits (test resource
 * {@code digit-atlas/mnist-600.png}) read through the shipped {@code mnist-cnn} with inverted images (a spec copy
 * with {@code invert: true}, which the saved fine-tuned spec must keep). Splits: per class 36 train, 12 val, 12
 * test digits, disjoint. A frozen run and a fine-tuned one of the unimodal reference (10 epochs; fine-tuned: the
 * first frozen), and a fine-tuned {@code uniform} with its reference (4 epochs), all with the same seed.
 */
class FineTuningTest {

    @TempDir
    static Path tmp;

    private static Path config;
    private static Path tunedRun;
    private static final List<String> TUNED = List.of(
            "modalities.digit.fine_tune=true",
            "modalities.digit.fine_tune_lr=0.1",
            "modalities.digit.fine_tune_freeze_epochs=1");
    private static final String MODEL = "model:\n  hidden: 32\n  layers: 1\n  experts: 4\n  top_k: 2\n"
            + "  expert_hidden: 64\n  ff_hidden: 64\n  head_hidden: 32\n  dropout: 0.0\n";

    @BeforeAll
    static void trainFrozenAndFineTuned() throws Exception {
        BufferedImage atlas = ImageIO.read(FineTuningTest.class.getResource("/digit-atlas/mnist-600.png"));
        Path images = Files.createDirectories(tmp.resolve("images"));
        StringBuilder manifest = new StringBuilder("id,split,label,image\n");
        for (int i = 0; i < 600; i++) {
            BufferedImage tile = atlas.getSubimage((i % 30) * 28, (i / 30) * 28, 28, 28);
            String name = String.format(Locale.ROOT, "d%03d.png", i);
            ImageIO.write(tile, "png", images.resolve(name).toFile());
            int k = i / 10;
            String split = k < 36 ? "train" : k < 48 ? "val" : "test";
            manifest.append(name, 0, 4)
                    .append(',')
                    .append(split)
                    .append(',')
                    .append(i % 10)
                    .append(",images/")
                    .append(name)
                    .append('\n');
        }
        Files.writeString(tmp.resolve("manifest.csv"), manifest);
        Path spec = Files.createDirectories(tmp.resolve("mnist-inverted"));
        String original = Files.readString(TestSpecs.models().resolve("mnist-cnn/spec.yaml"));
        Files.writeString(
                spec.resolve("spec.yaml"),
                original.replace("name: mnist-cnn\n", "")
                        .replace(
                                "local: mnist-cnn.pt",
                                "local: " + TestSpecs.models().resolve("mnist-cnn/mnist-cnn.pt"))
                        .replace("std: [0.3081] }", "std: [0.3081], invert: true }"));
        config = tmp.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\nmodalities:\n  digit: { encoder: ./mnist-inverted, "
                        + "column: image }\n" + MODEL + "train:\n  epochs: 4\n  batch: 32\n  lr: 0.003\n  patience: 4\n"
                        + "  seeds: [7]\n");
        train("frozen", List.of("unimodal:digit"), List.of("train.epochs=10"));
        List<String> tuned10 = new ArrayList<>(TUNED);
        tuned10.add("train.epochs=10");
        train("tuned10", List.of("unimodal:digit"), tuned10);
        tunedRun = tmp.resolve("run-tuned");
        train("tuned", List.of("uniform"), TUNED);
    }

    private static final Map<String, String> PROGRESS = new HashMap<>();

    private static void train(String name, List<String> methods, List<String> overrides) {
        PROGRESS.put(name, FineTuningRuns.train(config, overrides, methods, tmp.resolve("run-" + name)));
    }

    private static String epochLine(String run, String method, int epoch) {
        return FineTuningRuns.epochLine(PROGRESS.get(run), method, epoch);
    }

    @Test
    void aFrozenEpochOfTheEncoderPathEqualsTheFeatureStorePath() {
        // fine_tune_freeze_epochs: 1, same seed: the first epoch runs the encoder without updating it, on the cached
        // image tensors, and must give what the frozen run gave from the feature store's vectors
        assertEquals(epochLine("frozen", "unimodal:digit", 1), epochLine("tuned", "unimodal:digit", 1));
        assertNotEquals(epochLine("frozen", "unimodal:digit", 2), epochLine("tuned", "unimodal:digit", 2));
    }

    @Test
    void fineTuningImprovesValidationWhereTheFrozenEncoderIsWeak() throws Exception {
        // the inverted reading leaves the frozen encoder weak; 10 epochs, the first frozen, fine_tune_lr 0.1
        double frozen = valF1("frozen");
        double tuned = valF1("tuned10");
        System.out.printf(
                Locale.ROOT, "unimodal:digit val macro-F1 (best epoch): frozen %.3f, fine-tuned %.3f%n", frozen, tuned);
        assertTrue(tuned > frozen + 0.05, "fine-tuned val macro-F1 " + tuned + " vs frozen " + frozen);
    }

    private static double valF1(String run) throws Exception {
        return Checkpoint.JSON
                .readTree(tmp.resolve("run-" + run).resolve("metrics.json").toFile())
                .get("methods")
                .get("unimodal:digit")
                .get("val")
                .get("f1_macro")
                .get("mean")
                .asDouble();
    }

    @Test
    void theEncoderParametersChangeAndTheSavedFileIsNamedWithItsChecksum() throws Exception {
        Path folder = tunedRun.resolve("checkpoints/uniform/seed-7/encoders/digit");
        Path file = folder.resolve(FineTunedEncoderFolder.MODEL_FILE);
        var spec = SpecReader.read(folder);
        assertEquals(Sha256.of(file), spec.file("model").sha256());
        assertTrue(((ImagePreprocess) spec.preprocess()).invert(), "the preprocessing stays");
        assertTrue(
                Files.isRegularFile(tunedRun.resolve("checkpoints/unimodal-digit/seed-7/encoders/digit/model.pt")),
                "the unimodal reference trains its own encoder");
        Map<String, float[]> before = parameters(new SpecLocator(List.of()).find("mnist-inverted", tmp));
        Map<String, float[]> after = parameters(spec);
        assertEquals(before.keySet(), after.keySet());
        assertTrue(before.size() >= 6, "conv1, conv2, fc: weights and biases");
        for (String k : before.keySet()) {
            double diff = 0;
            for (int i = 0; i < before.get(k).length; i++) {
                diff = Math.max(diff, Math.abs(before.get(k)[i] - after.get(k)[i]));
            }
            assertTrue(diff > 1e-4, k + " changed by at most " + diff);
        }
        assertTrue(FineTunedEncoderFolder.find(tmp.resolve("run-frozen/checkpoints/uniform/seed-7"))
                .isEmpty());
    }

    @Test
    void theExportedModelWithTheSavedEncoderReproducesTheRunsTestPredictions() throws Exception {
        Path onnx = tmp.resolve("export/tuned.onnx");
        Files.createDirectories(onnx.getParent());
        try (TrainedFusion trained = TrainedFusion.load(tunedRun, "uniform", null)) {
            String meta = FineTunedEncoders.copyBeside(tunedRun, trained, onnx);
            OnnxModelFile f = trained.toOnnx();
            f.optMetadata(OnnxMetadata.FINE_TUNED_ENCODERS, meta);
            f.write(onnx);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("export/tuned.encoders/digit/model.pt")));
        Map<String, Path> named = FineTunedEncoders.read(onnx);
        assertEquals(List.of("digit"), new ArrayList<>(named.keySet()));

        List<String> lines = Files.readAllLines(tmp.resolve("manifest.csv"));
        StringBuilder test = new StringBuilder(lines.get(0) + "\n");
        lines.stream()
                .filter(l -> l.contains(",test,"))
                .forEach(l -> test.append(l).append('\n'));
        Path newData = tmp.resolve("new.csv");
        Files.writeString(newData, test);
        Path predicted = tmp.resolve("predicted.csv");
        new ManifestPredictor(onnx, BtwConfig.load(config, List.of()), null).predict(newData, predicted);

        Map<String, double[]> run = probabilities(tunedRun.resolve("predictions/uniform-test.csv"));
        Map<String, double[]> served = probabilities(predicted);
        assertEquals(120, served.size());
        double worst = 0;
        for (String id : run.keySet()) {
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(run.get(id)[c] - served.get(id)[c]));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from the run's test probabilities: " + worst);

        // the original encoder's vectors give other predictions: the served ones came from the fine-tuned encoder
        Path plain = tmp.resolve("export/plain.onnx");
        try (TrainedFusion trained = TrainedFusion.load(tunedRun, "uniform", null)) {
            trained.toOnnx().write(plain);
        }
        Path original = tmp.resolve("original.csv");
        new ManifestPredictor(plain, BtwConfig.load(config, List.of()), null).predict(newData, original);
        Map<String, double[]> withOriginal = probabilities(original);
        double far = 0;
        for (String id : run.keySet()) {
            for (int c = 0; c < 10; c++) {
                far = Math.max(far, Math.abs(run.get(id)[c] - withOriginal.get(id)[c]));
            }
        }
        assertTrue(far > 1e-2, "the original encoder gave the same predictions (" + far + ")");
    }

    @Test
    void aRunKilledMidTrainingResumesTheEncoderFromItsCheckpoint() throws Exception {
        BtwConfig c = BtwConfig.load(config, TUNED);
        FusionData data = StoreFeatures.load(c, EncodeProgress.NONE);
        Path out = tmp.resolve("run-resumed");
        PrintStream crashing = new PrintStream(PrintStream.nullOutputStream()) {
            @Override
            public void println(String x) {
                if (x.startsWith("uniform seed 7 epoch 3/")) {
                    throw new IllegalStateException("simulated kill");
                }
            }
        };
        List<String> methods = List.of("uniform");
        assertThrows(
                IllegalStateException.class,
                () -> new FusionExperiment(c, data, out)
                        .withMethods(methods)
                        .withProgress(crashing)
                        .run());
        new FusionExperiment(c, data, out).withMethods(methods).withResume(true).run();
        assertEquals(Files.readString(tunedRun.resolve("metrics.json")), Files.readString(out.resolve("metrics.json")));
        Map<String, float[]> uninterrupted =
                parameters(SpecReader.read(tunedRun.resolve("checkpoints/uniform/seed-7/encoders/digit")));
        Map<String, float[]> resumed =
                parameters(SpecReader.read(out.resolve("checkpoints/uniform/seed-7/encoders/digit")));
        for (String k : uninterrupted.keySet()) {
            Assertions.assertArrayEquals(uninterrupted.get(k), resumed.get(k), k);
        }
    }

    @Test
    void theEncodersUpdatesDescendTheFusionLoss() {
        // the fusion model nearly still (lr 1e-7), the encoder at 1e-7 * 1000: repeated steps on one batch lower
        // its loss through the encoder far more than the fusion model's own tiny steps do without it
        double tuned = batchLossDrop(true);
        double frozen = batchLossDrop(false);
        assertTrue(
                tuned > 0.005 && tuned > 5 * Math.abs(frozen),
                "loss drop over 15 steps: fine-tuned " + tuned + ", frozen " + frozen);
    }

    private static double batchLossDrop(boolean fineTune) {
        BtwConfig c = BtwConfig.load(
                config,
                List.of(
                        "modalities.digit.fine_tune=" + fineTune,
                        "train.lr=1e-7",
                        "modalities.digit.fine_tune_lr=1000",
                        "model.dropout=0",
                        "model.noisy_gating=false"));
        FusionData data = StoreFeatures.load(c, EncodeProgress.NONE);
        SplitData train = data.split(Split.TRAIN);
        int[] rows = new int[64];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        double[][] weights = new double[train.size()][];
        Arrays.fill(weights, new double[] {1});
        try (FusionModel model = new FusionModel(FusionExperiment.spec(c, data), data.task(), Device.cpu(), 7)
                .withFineTuning(data, TrainSettings.of(c.train()), train.ids())) {
            assertEquals(fineTune ? 1 : 0, model.encoders().size());
            model.setEpoch(1);
            int[][] steps = new int[16][];
            Arrays.fill(steps, rows);
            float[] losses = TrainerSteps.train(model, train, weights, steps, 1e-7f, 0f, 0.8f, 1L);
            float first = losses[0];
            float last = losses[losses.length - 1];
            return first - last;
        }
    }

    @Test
    void anOnnxEncoderCannotBeFineTunedAndTheMessageSaysWhatToDo() throws Exception {
        Path c = tmp.resolve("onnx.yaml");
        Files.writeString(
                c,
                "task: classification\nmodalities:\n  review: { encoder: minilm-l6-v2, column: image, "
                        + "fine_tune: true }\n");
        BtwConfig cfg = BtwConfig.load(c, List.of());
        Manifest m = Manifest.read(tmp.resolve("manifest.csv"), "id", "split", "label", List.of("image"));
        BtwException e =
                assertThrows(BtwException.class, () -> FineTunedModality.fromConfig(cfg, m, TestSpecs.locator()));
        assertTrue(e.getMessage().contains("modalities.review.fine_tune"), e.getMessage());
        assertTrue(e.getMessage().contains("inference only"), e.getMessage());
        assertTrue(e.getMessage().contains("TorchScript"), e.getMessage());
        Map<String, FineTunedModality> ok = FineTunedModality.fromConfig(
                BtwConfig.load(config, List.of("modalities.digit.fine_tune=true")), m, TestSpecs.locator());
        assertEquals(List.of("digit"), new ArrayList<>(ok.keySet()));
        assertEquals(600, ok.get("digit").images().size());
    }
}

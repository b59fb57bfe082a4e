package dev.btw.app.experiment;

import static dev.btw.app.experiment.FineTuningRuns.parameters;
import static dev.btw.app.experiment.FineTuningRuns.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.predict.ManifestPredictor;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.run.TrainedFusion;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a frame-wise image encoder (the shipped {@code mnist-cnn}) over the frames of video files: 4 frames
 * sampled evenly from each of {@link ClipFineTuningTest}'s 300 moving-digit clips, each through the encoder, pooled
 * over time as the feature store pools them ({@code time_pooling} mean, and max).
 */
class FrameFineTuningTest {

    @TempDir
    static Path tmp;

    private static Path config;
    private static final List<String> TUNED = List.of(
            "modalities.digit.fine_tune=true",
            "modalities.digit.fine_tune_lr=0.1",
            "modalities.digit.fine_tune_freeze_epochs=1");
    private static final List<String> MAX = List.of("modalities.digit.time_pooling=max");
    private static final String MODEL = "model:\n  hidden: 32\n  layers: 1\n  experts: 4\n  top_k: 2\n"
            + "  expert_hidden: 64\n  ff_hidden: 64\n  head_hidden: 32\n  dropout: 0.0\n";
    private static final Map<String, String> PROGRESS = new HashMap<>();

    @BeforeAll
    static void writeClipsAndTrain() throws Exception {
        ClipFineTuningTest.writeClips(tmp);
        Path spec = Files.createDirectories(tmp.resolve("mnist-copy"));
        String original = Files.readString(TestSpecs.models().resolve("mnist-cnn/spec.yaml"));
        Files.writeString(
                spec.resolve("spec.yaml"),
                original.replace("name: mnist-cnn\n", "")
                        .replace(
                                "local: mnist-cnn.pt",
                                "local: " + TestSpecs.models().resolve("mnist-cnn/mnist-cnn.pt")));
        config = tmp.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\nmodalities:\n  digit: { encoder: ./mnist-copy, column: clip, frames: 4 }\n"
                        + MODEL + "train:\n  epochs: 2\n  batch: 32\n  lr: 0.003\n  patience: 2\n  seeds: [7]\n");
        train("frozen", List.of("unimodal:digit"), List.of());
        train("tuned", List.of("unimodal:digit"), TUNED);
        train("frozen-max", List.of("unimodal:digit"), MAX);
        train("tuned-max", List.of("unimodal:digit"), concat(TUNED, MAX));
        train("tuned-uniform", List.of("uniform"), TUNED);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void train(String name, List<String> methods, List<String> overrides) {
        PROGRESS.put(name, FineTuningRuns.train(config, overrides, methods, tmp.resolve("run-" + name)));
    }

    private static String epochLine(String run, int epoch) {
        return FineTuningRuns.epochLine(PROGRESS.get(run), "unimodal:digit", epoch);
    }

    @Test
    void aFrozenEpochOfThePooledFramesEqualsTheFeatureStorePath() {
        assertEquals(epochLine("frozen", 1), epochLine("tuned", 1));
        assertNotEquals(epochLine("frozen", 2), epochLine("tuned", 2));
        assertEquals(epochLine("frozen-max", 1), epochLine("tuned-max", 1), "time_pooling: max");
        assertNotEquals(epochLine("frozen", 1), epochLine("frozen-max", 1), "max pools otherwise than the mean");
    }

    @Test
    void framesAreReadPerInstanceAsTheModalitySamplesThem() {
        BtwConfig c = BtwConfig.load(config, TUNED);
        Manifest m = Manifest.read(tmp.resolve("manifest.csv"), "id", "split", "label", List.of("clip"));
        FineTunedModality f =
                FineTunedModality.fromConfig(c, m, TestSpecs.locator()).get("digit");
        assertTrue(f.images().framewise());
        assertEquals(300, f.images().size());
        EncoderImages.FrameBatch b = f.images().frameBatch(m.ids(), new int[] {0, 1});
        assertEquals(4, b.frames(), "frames: 4 sampled from each 8-frame clip");
        assertEquals(2 * 4 * 28 * 28, b.pixels().length);
    }

    @Test
    void exportAndPredictUseTheFineTunedFrameEncoder() throws Exception {
        Path run = tmp.resolve("run-tuned-uniform");
        EncoderSpec saved = SpecReader.read(run.resolve("checkpoints/uniform/seed-7/encoders/digit"));
        Map<String, float[]> before = parameters(new SpecLocator(List.of()).find("mnist-copy", tmp));
        Map<String, float[]> after = parameters(saved);
        double diff = 0;
        for (String k : before.keySet()) {
            for (int i = 0; i < before.get(k).length; i++) {
                diff = Math.max(diff, Math.abs(before.get(k)[i] - after.get(k)[i]));
            }
        }
        assertTrue(diff > 1e-4, "the encoder changed by at most " + diff);

        Path onnx = tmp.resolve("export/tuned.onnx");
        Files.createDirectories(onnx.getParent());
        try (TrainedFusion trained = TrainedFusion.load(run, "uniform", null)) {
            String meta = FineTunedEncoders.copyBeside(run, trained, onnx);
            OnnxModelFile f = trained.toOnnx();
            f.optMetadata(OnnxMetadata.FINE_TUNED_ENCODERS, meta);
            f.write(onnx);
        }
        List<String> lines = Files.readAllLines(tmp.resolve("manifest.csv"));
        StringBuilder test = new StringBuilder(lines.get(0) + "\n");
        lines.stream()
                .filter(l -> l.contains(",test,"))
                .forEach(l -> test.append(l).append('\n'));
        Path newData = tmp.resolve("new.csv");
        Files.writeString(newData, test);
        Path predicted = tmp.resolve("predicted.csv");
        new ManifestPredictor(onnx, BtwConfig.load(config, List.of()), null).predict(newData, predicted);
        Map<String, double[]> expected = probabilities(run.resolve("predictions/uniform-test.csv"));
        Map<String, double[]> served = probabilities(predicted);
        assertEquals(60, served.size());
        double worst = 0;
        for (String id : expected.keySet()) {
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(expected.get(id)[c] - served.get(id)[c]));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from the run's test probabilities: " + worst);
    }
}

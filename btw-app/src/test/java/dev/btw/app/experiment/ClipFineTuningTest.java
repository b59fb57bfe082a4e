package dev.btw.app.experiment;

import static dev.btw.app.experiment.FineTuningRuns.parameters;
import static dev.btw.app.experiment.FineTuningRuns.probabilities;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.predict.ManifestPredictor;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.run.TrainedFusion;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.preprocess.TestClips;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a TorchScript clip encoder (the shipped {@code clip-cnn}) with the fusion model, with the guarantees
 * {@link FineTuningTest} gives images: 300 real {@code .mp4} clips of MNIST digits (test resource {@code
 * digit-atlas/mnist-600.png}) moving one pixel per frame, per class 18 train, 6 val, 6 test clips. A frozen
 * unimodal run and fine-tuned ones (the first epoch frozen), all with the same seed.
 */
class ClipFineTuningTest {

    @TempDir
    static Path tmp;

    private static Path config;
    private static Path tunedRun;
    private static final List<String> TUNED = List.of(
            "modalities.clip.fine_tune=true",
            "modalities.clip.fine_tune_lr=0.1",
            "modalities.clip.fine_tune_freeze_epochs=1");
    private static final String MODEL = "model:\n  hidden: 32\n  layers: 1\n  experts: 4\n  top_k: 2\n"
            + "  expert_hidden: 64\n  ff_hidden: 64\n  head_hidden: 32\n  dropout: 0.0\n";
    private static final Map<String, String> PROGRESS = new HashMap<>();

    @BeforeAll
    static void writeClipsAndTrain() throws Exception {
        writeClips(tmp);
        Path spec = Files.createDirectories(tmp.resolve("clip-copy"));
        String original = Files.readString(TestSpecs.models().resolve("clip-cnn/spec.yaml"));
        Files.writeString(
                spec.resolve("spec.yaml"),
                original.replace("name: clip-cnn\n", "")
                        .replace(
                                "local: clip-cnn.pt",
                                "local: " + TestSpecs.models().resolve("clip-cnn/clip-cnn.pt")));
        config = tmp.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\nmodalities:\n  clip: { encoder: ./clip-copy, column: clip }\n" + MODEL
                        + "train:\n  epochs: 3\n  batch: 32\n  lr: 0.003\n  patience: 3\n  seeds: [7]\n");
        train("frozen", List.of("unimodal:clip"));
        train("tuned-unimodal", List.of("unimodal:clip"), TUNED);
        tunedRun = tmp.resolve("run-tuned");
        train("tuned", List.of("uniform"), TUNED);
    }

    /**
     * Writes 300 {@code .mp4} clips of atlas digits moving one pixel per frame (8 frames of 36 x 36) and their
     * manifest ({@code id,split,label,clip}; per class 18 train, 6 val, 6 test).
     */
    static void writeClips(Path tmp) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        BufferedImage atlas = ImageIO.read(ClipFineTuningTest.class.getResource("/digit-atlas/mnist-600.png"));
        Path clips = Files.createDirectories(tmp.resolve("clips"));
        StringBuilder manifest = new StringBuilder("id,split,label,clip\n");
        Random rnd = new Random(3);
        int[][] directions = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
        for (int i = 0; i < 300; i++) {
            BufferedImage tile = atlas.getSubimage((i % 30) * 28, (i / 30) * 28, 28, 28);
            int[] d = directions[rnd.nextInt(4)];
            int y0 = d[0] < 0 ? 7 : 0;
            int x0 = d[1] < 0 ? 7 : 0;
            y0 += rnd.nextInt(2);
            x0 += rnd.nextInt(2);
            List<BufferedImage> frames = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                BufferedImage f = new BufferedImage(36, 36, BufferedImage.TYPE_INT_RGB);
                f.getGraphics().drawImage(tile, x0 + d[1] * t, y0 + d[0] * t, null);
                frames.add(f);
            }
            String name = String.format(Locale.ROOT, "c%03d.mp4", i);
            TestClips.ofImages(clips.resolve(name), frames, 1);
            int k = i / 10;
            String split = k < 18 ? "train" : k < 24 ? "val" : "test";
            manifest.append(name, 0, 4)
                    .append(',')
                    .append(split)
                    .append(',')
                    .append(i % 10)
                    .append(",clips/")
                    .append(name)
                    .append('\n');
        }
        Files.writeString(tmp.resolve("manifest.csv"), manifest);
    }

    private static void train(String name, List<String> methods) {
        train(name, methods, List.of());
    }

    private static void train(String name, List<String> methods, List<String> overrides) {
        PROGRESS.put(name, FineTuningRuns.train(config, overrides, methods, tmp.resolve("run-" + name)));
    }

    private static String epochLine(String run, String method, int epoch) {
        return FineTuningRuns.epochLine(PROGRESS.get(run), method, epoch);
    }

    @Test
    void aFrozenEpochOfTheClipPathEqualsTheFeatureStorePath() {
        // the first epoch runs clip-cnn on the cached clip tensors without updating it: what the frozen run gave
        // from the feature store's vectors (the same frames, decoded once for each path)
        assertEquals(epochLine("frozen", "unimodal:clip", 1), epochLine("tuned-unimodal", "unimodal:clip", 1));
        assertNotEquals(epochLine("frozen", "unimodal:clip", 2), epochLine("tuned-unimodal", "unimodal:clip", 2));
    }

    @Test
    void theClipEncoderChangesAndIsSavedWithItsVideoPreprocessing() throws Exception {
        Path folder = tunedRun.resolve("checkpoints/uniform/seed-7/encoders/clip");
        Path file = folder.resolve(FineTunedEncoderFolder.MODEL_FILE);
        EncoderSpec spec = SpecReader.read(folder);
        assertEquals(Sha256.of(file), spec.file("model").sha256());
        VideoPreprocess pre = assertInstanceOf(VideoPreprocess.class, spec.preprocess());
        assertEquals(8, pre.frames());
        assertEquals("BTCHW", pre.layout());
        Map<String, float[]> before = parameters(new SpecLocator(List.of()).find("clip-copy", tmp));
        Map<String, float[]> after = parameters(spec);
        assertEquals(before.keySet(), after.keySet());
        int changed = 0;
        for (String k : before.keySet()) {
            double diff = 0;
            for (int i = 0; i < before.get(k).length; i++) {
                diff = Math.max(diff, Math.abs(before.get(k)[i] - after.get(k)[i]));
            }
            changed += diff > 1e-5 ? 1 : 0;
        }
        assertTrue(changed >= before.size() - 1, changed + " of " + before.keySet() + " changed");
        assertTrue(FineTunedEncoderFolder.find(tmp.resolve("run-frozen/checkpoints/unimodal-clip/seed-7"))
                .isEmpty());
    }

    @Test
    void exportAndPredictUseTheFineTunedClipEncoder() throws Exception {
        Path onnx = tmp.resolve("export/tuned.onnx");
        Files.createDirectories(onnx.getParent());
        try (TrainedFusion trained = TrainedFusion.load(tunedRun, "uniform", null)) {
            String meta = FineTunedEncoders.copyBeside(tunedRun, trained, onnx);
            OnnxModelFile f = trained.toOnnx();
            f.optMetadata(OnnxMetadata.FINE_TUNED_ENCODERS, meta);
            f.write(onnx);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("export/tuned.encoders/clip/model.pt")));
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
        assertEquals(60, served.size());
        assertTrue(largestDifference(run, served) < 1e-4, "served differs from the run: " + run + " " + served);

        Path plain = tmp.resolve("export/plain.onnx");
        try (TrainedFusion trained = TrainedFusion.load(tunedRun, "uniform", null)) {
            trained.toOnnx().write(plain);
        }
        Path original = tmp.resolve("original.csv");
        new ManifestPredictor(plain, BtwConfig.load(config, List.of()), null).predict(newData, original);
        double far = largestDifference(run, probabilities(original));
        assertTrue(far > 1e-2, "the original clip encoder gave the same predictions (" + far + ")");
    }

    private static double largestDifference(Map<String, double[]> a, Map<String, double[]> b) {
        double worst = 0;
        for (String id : a.keySet()) {
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(a.get(id)[c] - b.get(id)[c]));
            }
        }
        return worst;
    }

    @Test
    void aRunKilledMidTrainingResumesTheClipEncoderFromItsCheckpoint() throws Exception {
        BtwConfig c = BtwConfig.load(config, TUNED);
        FusionData data = StoreFeatures.load(c, EncodeProgress.NONE);
        Path out = tmp.resolve("run-resumed");
        PrintStream crashing = new PrintStream(PrintStream.nullOutputStream()) {
            @Override
            public void println(String x) {
                if (x.startsWith("uniform seed 7 epoch 2/")) {
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
                parameters(SpecReader.read(tunedRun.resolve("checkpoints/uniform/seed-7/encoders/clip")));
        Map<String, float[]> resumed =
                parameters(SpecReader.read(out.resolve("checkpoints/uniform/seed-7/encoders/clip")));
        for (String k : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(k), resumed.get(k), k);
        }
    }

    @Test
    void aClipEncoderOnACellThatIsNoVideoIsBadInputNamingTheInstance() throws Exception {
        Path m = tmp.resolve("images.csv");
        Files.writeString(m, "id,split,label,clip\na1,train,1,clips/c000.png\n");
        Manifest manifest = Manifest.read(m, "id", "split", "label", List.of("clip"));
        BtwConfig cfg = BtwConfig.load(config, List.of("modalities.clip.fine_tune=true"));
        BtwException e = assertThrows(
                BtwException.class, () -> FineTunedModality.fromConfig(cfg, manifest, TestSpecs.locator()));
        assertTrue(e.getMessage().contains("a1"), e.getMessage());
        assertTrue(e.getMessage().contains("one video file per instance"), e.getMessage());
    }
}

package example;

import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.StoreFeatures;
import dev.btw.app.predict.ManifestPredictor;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.run.TrainedFusion;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import dev.btw.djl.fetch.AssetFetcher;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Plugs an ONNX text encoder ({@code minilm-l6-v2}) and a TorchScript image encoder ({@code mnist-cnn}) into btw
 * from Java, trains the fusion model while fine-tuning the image encoder, exports the model (the fine-tuned encoder
 * goes beside the ONNX file), and predicts new data through the exported file. Exits non-zero when an outcome is
 * not met: the image encoder must have changed, the test accuracy must beat a threshold, and the predictions served
 * from the exported file must equal the training run's.
 *
 * <p>Data: 600 real MNIST digits (the repository's test atlas), each with a short text that names the digit for
 * 40% of the instances and says nothing useful otherwise. Run from this folder: {@code mvn -B -ntp package exec:exec}.
 */
public final class FineTuneEncoderExample {

    private static final String[] WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
    };

    private FineTuneEncoderExample() {}

    public static void main(String[] args) throws Exception {
        Path repo = repository();
        Path work = Files.createTempDirectory("btw-finetune-example");
        Path models = repo.resolve("models");

        // the two encoders, from their specs; their files are fetched into $BTW_HOME and checked by SHA-256
        EncoderSpec text = SpecReader.read(models.resolve("minilm-l6-v2"));
        EncoderSpec image = SpecReader.read(models.resolve("mnist-cnn"));
        AssetFetcher fetcher = new AssetFetcher();
        text.files().values().forEach(fetcher::fetch);
        Path originalImageModel = fetcher.fetch(image.file(EncoderSpec.MODEL));

        Path manifest = writeData(repo, work);
        Path configFile = work.resolve("config.yaml");
        Files.writeString(
                configFile,
                String.join(
                        "\n",
                        "task: classification",
                        "modalities:",
                        "  caption: { encoder: " + models.resolve("minilm-l6-v2") + ", column: caption }",
                        "  digit: { encoder: " + models.resolve("mnist-cnn") + ", column: image, fine_tune: true, "
                                + "fine_tune_lr: 0.3 }",
                        "model: { hidden: 32, layers: 1, experts: 4, top_k: 2, expert_hidden: 64, ff_hidden: 64, "
                                + "head_hidden: 32, dropout: 0.0 }",
                        "train: { epochs: 4, batch: 32, lr: 0.003, patience: 4, seeds: [7] }",
                        "encode: { store: " + work.resolve("features") + " }",
                        ""));
        BtwConfig config = BtwConfig.load(configFile, List.of());

        // train: the feature store caches the caption vectors; the digit modality runs through the encoder each step
        FusionData data = StoreFeatures.load(config, EncodeProgress.NONE);
        Path run = work.resolve("run");
        var metrics = new FusionExperiment(config, data, run)
                .withMethods(List.of("uniform"))
                .run();
        double accuracy = metrics.get("methods")
                .get("uniform")
                .get("test")
                .get("accuracy")
                .get("mean")
                .asDouble();

        // export: the fusion graph, and the fine-tuned TorchScript encoder beside it
        Path onnx = work.resolve("export/model.onnx");
        Files.createDirectories(onnx.getParent());
        try (TrainedFusion trained = TrainedFusion.load(run, "uniform", null)) {
            String encoders = FineTunedEncoders.copyBeside(run, trained, onnx);
            OnnxModelFile file = trained.toOnnx();
            file.optMetadata(OnnxMetadata.FINE_TUNED_ENCODERS, encoders);
            file.write(onnx);
        }
        Path tunedModel = FineTunedEncoders.read(onnx).get("digit").resolve("model.pt");

        // predict the test instances as new data: the text through MiniLM, the image through the fine-tuned encoder
        Path newData = work.resolve("new.csv");
        List<String> lines = Files.readAllLines(manifest);
        StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
        lines.stream()
                .filter(l -> l.contains(",test,"))
                .forEach(l -> sb.append(l).append('\n'));
        Files.writeString(newData, sb);
        Path predicted = work.resolve("predicted.csv");
        new ManifestPredictor(onnx, config, null).predict(newData, predicted);
        double gap = maxDifference(run.resolve("predictions/uniform-test.csv"), predicted);

        System.out.printf(
                Locale.ROOT,
                "test accuracy %.3f; encoder %s -> %s; served vs run predictions: %.2e%n",
                accuracy,
                Sha256.of(originalImageModel).substring(0, 12),
                Sha256.of(tunedModel).substring(0, 12),
                gap);
        boolean ok = true;
        if (Sha256.of(originalImageModel).equals(Sha256.of(tunedModel))) {
            System.err.println("FAIL: the image encoder did not change");
            ok = false;
        }
        if (!(accuracy > 0.6)) {
            System.err.println("FAIL: test accuracy " + accuracy + " <= 0.6");
            ok = false;
        }
        if (!(gap < 1e-4)) {
            System.err.println("FAIL: served predictions differ from the run's by " + gap);
            ok = false;
        }
        System.exit(ok ? 0 : 1);
    }

    /** Cuts the atlas into image files and writes the manifest: per class 36 train, 12 val, 12 test digits. */
    private static Path writeData(Path repo, Path work) throws Exception {
        BufferedImage atlas = ImageIO.read(repo.resolve("btw-djl/src/test/resources/digit-atlas/mnist-600.png")
                .toFile());
        Path images = Files.createDirectories(work.resolve("images"));
        Random random = new Random(11);
        StringBuilder m = new StringBuilder("id,split,label,image,caption\n");
        for (int i = 0; i < 600; i++) {
            String name = String.format(Locale.ROOT, "d%03d.png", i);
            ImageIO.write(
                    atlas.getSubimage((i % 30) * 28, (i / 30) * 28, 28, 28),
                    "png",
                    images.resolve(name).toFile());
            int k = i / 10;
            String split = k < 36 ? "train" : k < 48 ? "val" : "test";
            String caption = random.nextDouble() < 0.4 ? "a handwritten " + WORDS[i % 10] : "a handwritten digit";
            m.append("d")
                    .append(i)
                    .append(',')
                    .append(split)
                    .append(',')
                    .append(i % 10)
                    .append(",images/")
                    .append(name)
                    .append(',')
                    .append(caption)
                    .append('\n');
        }
        Path manifest = work.resolve("manifest.csv");
        Files.writeString(manifest, m);
        return manifest;
    }

    private static double maxDifference(Path runCsv, Path servedCsv) throws Exception {
        Map<String, String[]> run = new HashMap<>();
        List<String> a = Files.readAllLines(runCsv);
        for (String l : a.subList(1, a.size())) {
            run.put(l.split(",")[0], l.split(","));
        }
        double worst = 0;
        List<String> b = Files.readAllLines(servedCsv);
        for (String l : b.subList(1, b.size())) {
            String[] s = l.split(",");
            String[] r = run.get(s[0]);
            for (int c = 1; c <= 10; c++) {
                worst = Math.max(worst, Math.abs(Double.parseDouble(s[c]) - Double.parseDouble(r[c])));
            }
        }
        return worst;
    }

    /** The btw repository this example lives in (it reads the encoder specs and the digit atlas from it). */
    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("models/mnist-cnn/spec.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from inside the btw repository (no models/mnist-cnn above "
                + Path.of("").toAbsolutePath() + ")");
    }
}

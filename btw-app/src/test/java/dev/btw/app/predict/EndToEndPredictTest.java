package dev.btw.app.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.onnx.proto.OnnxMl;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.StoreFeatures;
import dev.btw.app.run.TrainedFusion;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.io.AtomicFiles;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.export.EndToEndPlan;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.serve.FusionInput;
import dev.btw.djl.serve.FusionModelInfo;
import dev.btw.djl.serve.FusionModels;
import dev.btw.djl.serve.FusionOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run with a MiniLM text modality and a tabular one, trained for real, exported plainly and end to end: {@code
 * ManifestPredictor} gives the same probabilities with both files (the plain one runs MiniLM in Java, the other
 * inside the graph), under the modality-prior and the instance inference policies (the instance graph reads the
 * merged text in its first pass, its references and its final pass), and the Java API takes raw text for the
 * merged modality.
 */
class EndToEndPredictTest {

    private static String previousRepo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void repositorySpecs() {
        previousRepo = System.getProperty("btw.home.repo");
        System.setProperty("btw.home.repo", TestSpecs.models().getParent().toString());
    }

    @AfterAll
    static void restore() {
        if (previousRepo == null) {
            System.clearProperty("btw.home.repo");
        } else {
            System.setProperty("btw.home.repo", previousRepo);
        }
    }

    @ParameterizedTest(name = "inference {0}")
    @ValueSource(strings = {"modality-prior", "instance"})
    void endToEndFilePredictsWhatEncodersThenFusionPredict(String inference) throws Exception {
        try {
            TestSpecs.spec("minilm-l6-v2").files().values().forEach(a -> new AssetFetcher().fetch(a));
        } catch (BtwException e) {
            TestSpecs.skip(TestSpecs.NETWORK, "cannot fetch minilm-l6-v2: " + e.getMessage());
        }
        Path manifest = writeManifest(30);
        Path yaml = tmp.resolve("config.yaml");
        Files.writeString(yaml, """
                task: classification
                classes: [neg, pos]
                data: { manifest: reviews.csv, label: label, id: id, split: split }
                encode: { batch: 64, store: features }
                modalities:
                  review: { encoder: minilm-l6-v2, column: review }
                  labs: { encoder: columns, columns: [x1, x2] }
                model: { hidden: 16, experts: 4, expert_hidden: 24, ff_hidden: 20, head_hidden: 12 }
                train: { epochs: 2, batch: 8, threads: 1 }
                """);
        BtwConfig config = BtwConfig.load(yaml, List.of("btw.inference=" + inference));
        Path run = tmp.resolve("run");
        new FusionExperiment(config, StoreFeatures.load(config, EncodeProgress.NONE), run)
                .withMethods(List.of("exp(-kl)*mi"))
                .run();

        Path plain = tmp.resolve("plain.onnx");
        Path merged = tmp.resolve("e2e.onnx");
        try (TrainedFusion trained = TrainedFusion.load(run, null, null)) {
            trained.toOnnx().write(plain);
            OnnxMl.ModelProto m = EndToEndPlan.of(config, trained.weights().keySet())
                    .merge(trained.toOnnx().build());
            AtomicFiles.write(merged, m::writeTo);
        }
        FusionModelInfo info = FusionModels.info(merged);
        assertTrue(info.endToEnd());
        assertEquals(
                List.of("review/input_ids", "review/attention_mask", "review/token_type_ids", "labs"),
                info.graphInputs());

        List<String[]> viaJava = read(predict(plain, config, manifest));
        List<String[]> viaGraph = read(predict(merged, config, manifest));
        assertEquals(30, viaGraph.size());
        double worst = 0;
        for (int r = 0; r < viaJava.size(); r++) {
            assertEquals(viaJava.get(r)[0], viaGraph.get(r)[0]);
            // two class probabilities, then weight:review and weight:labs, then the no_modality flag
            assertEquals(6, viaGraph.get(r).length);
            assertEquals(viaJava.get(r).length, viaGraph.get(r).length);
            for (int c = 1; c < 5; c++) {
                worst = Math.max(
                        worst,
                        Math.abs(Double.parseDouble(viaJava.get(r)[c]) - Double.parseDouble(viaGraph.get(r)[c])));
            }
        }
        System.out.printf(
                "btw predict, plain vs end-to-end file, %s inference, 30 instances: largest difference " + "%.3g%n",
                inference, worst);
        assertTrue(worst <= 1e-5, "largest difference " + worst);

        try (ZooModel<List<FusionInput>, List<FusionOutput>> model = FusionModels.load(merged);
                Predictor<List<FusionInput>, List<FusionOutput>> predictor = model.newPredictor()) {
            List<FusionOutput> out = predictor.predict(List.of(
                    new FusionInput()
                            .putRaw("review", "a wonderful, moving film")
                            .put("labs", new float[] {1f, 0f}),
                    new FusionInput().put("labs", new float[] {1f, 0f})));
            assertEquals(2, out.size());
            assertEquals(1.0, out.get(0).values()[0] + out.get(0).values()[1], 1e-5);
            assertTrue(
                    Math.abs(out.get(0).values()[0] - out.get(1).values()[0]) > 1e-6,
                    "a missing review must change the prediction");
            assertTrue(out.get(0).weightOf("review") > 0, out.get(0).toString());
            assertEquals(0f, out.get(1).weightOf("review"), "the missing review weighs 0");
            assertTrue(out.get(1).weightOf("labs") > 0, out.get(1).toString());
            Exception e = assertThrows(
                    Exception.class, () -> predictor.predict(List.of(new FusionInput().put("review", new float[384]))));
            assertTrue(rootMessage(e).contains("putRaw"), rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    private Path predict(Path model, BtwConfig config, Path manifest) {
        Path out = tmp.resolve(model.getFileName() + ".csv");
        new ManifestPredictor(model, config, null).predict(manifest, out);
        return out;
    }

    private static List<String[]> read(Path csv) throws Exception {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(","));
        }
        return rows;
    }

    /** Short reviews whose label follows their words, and two numeric columns that carry a little signal. */
    private Path writeManifest(int n) throws Exception {
        String[] good = {
            "a wonderful film",
            "moving and beautifully acted",
            "I loved every minute",
            "sharp, funny and kind",
            "a triumph"
        };
        String[] bad = {
            "a dull mess",
            "badly written and far too long",
            "I walked out",
            "lifeless and smug",
            "a waste of a good cast"
        };
        Random random = new Random(3);
        StringBuilder sb = new StringBuilder("id,split,label,review,x1,x2\n");
        for (int i = 0; i < n; i++) {
            boolean pos = i % 2 == 0;
            String split = i < n * 6 / 10 ? "train" : i < n * 8 / 10 ? "val" : "test";
            String text = (pos ? good : bad)[(i / 2) % 5];
            sb.append(String.format(
                    Locale.ROOT,
                    "r%02d,%s,%s,\"%s\",%.4f,%.4f%n",
                    i,
                    split,
                    pos ? "pos" : "neg",
                    text,
                    random.nextGaussian() + (pos ? 0.5 : -0.5),
                    random.nextGaussian()));
        }
        Path file = tmp.resolve("reviews.csv");
        Files.writeString(file, sb.toString());
        return file;
    }
}

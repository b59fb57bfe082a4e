package dev.btw.app.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.run.TrainedFusion;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train on the real diabetes data, export the fusion method and a unimodal reference, predict the manifest with
 * ONNX Runtime alone, and get the run's own test predictions back (raw labels: standardisation and label scaling
 * live in the graph).
 */
class ExportPredictTest {

    @TempDir
    Path tmp;

    @Test
    void exportedModelsPredictWhatTheRunPredicted() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        for (String f : List.of("diabetes.csv", "diabetes.yaml")) {
            Files.copy(
                    Path.of(ExportPredictTest.class
                            .getResource("/diabetes/" + f)
                            .toURI()),
                    data.resolve(f));
        }
        BtwConfig config = BtwConfig.load(data.resolve("diabetes.yaml"), List.of("train.epochs=2"));
        Path run = tmp.resolve("run");
        new FusionExperiment(config, TabularFeatures.load(config), run)
                .withMethods(List.of("unimodal:body", "kl*mi"))
                .run();

        for (String method : List.of("kl*mi", "unimodal:body")) {
            Path model = tmp.resolve(method.replace(':', '-').replace('*', '_') + ".onnx");
            try (TrainedFusion trained = TrainedFusion.load(run, method, null)) {
                trained.toOnnx().write(model);
            }
            Path out = tmp.resolve("pred.csv");
            int n = new ManifestPredictor(model, config, null).predict(data.resolve("diabetes.csv"), out);
            assertEquals(442, n);
            Map<String, Double> predicted = read(out);
            Map<String, Double> expected = read(
                    run.resolve("predictions").resolve(method.replace(':', '-').replace("*", "_") + "-test.csv"));
            assertEquals(88, expected.size());
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                assertEquals(e.getValue(), predicted.get(e.getKey()), 1e-3, method + " " + e.getKey());
            }
        }
        BtwException e = assertThrows(BtwException.class, () -> TrainedFusion.load(run, "late-average", null));
        assertTrue(e.getMessage().contains("no single model"), e.getMessage());
        e = assertThrows(BtwException.class, () -> TrainedFusion.load(run, "kl", null));
        assertTrue(e.getMessage().contains("no method 'kl'"), e.getMessage());
    }

    private static Map<String, Double> read(Path csv) throws Exception {
        Map<String, Double> out = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",")).indexOf("prediction");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            out.put(cells[0], Double.parseDouble(cells[col]));
        }
        return out;
    }
}

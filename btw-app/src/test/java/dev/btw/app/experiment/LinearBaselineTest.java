package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.djl.training.ValidationMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early-fusion linear baseline learns a linear signal and appears in metrics.json like any method. */
class LinearBaselineTest {

    @TempDir
    Path tmp;

    @Test
    void learnsALinearRegressionSignalThroughTheExperiment() throws Exception {
        // y = s0 + 0.5 s1 + N(0, 0.1^2); the noise modality carries nothing
        FusionData data = NoiseModalityTest.signalAndNoise(300, 5);
        BtwConfig config = BtwConfig.defaults(List.of(
                "model.hidden=16",
                "model.layers=1",
                "model.experts=4",
                "model.expert_hidden=32",
                "model.ff_hidden=32",
                "model.head_hidden=16",
                "train.epochs=2",
                "train.threads=1")); // small references: every run trains them
        Path out = tmp.resolve("run");
        new FusionExperiment(config, data, out)
                .withMethods(List.of("linear"))
                .withSeeds(List.of(1, 2))
                .run();
        JsonNode linear = Checkpoint.JSON
                .readTree(out.resolve("metrics.json").toFile())
                .get("methods")
                .get("linear");
        double mae = linear.get("test").get("mae").get("mean").asDouble();
        double std = Arrays.stream(data.split(Split.TEST).labels())
                .map(Math::abs)
                .average()
                .orElseThrow();
        assertTrue(mae < 0.2 * std, "linear test MAE " + mae + " against mean |y| " + std);
        assertTrue(linear.get("test").get("mae").get("runs").size() == 2, "one run per seed");
        assertTrue(Files.exists(out.resolve("predictions/linear-test.csv")));
    }

    @Test
    void classifiesTheHonestModalityAndChoosesAPenaltyOnValidation() {
        FusionData data = ReferencePolicyTest.memorising(300, 3);
        LinearBaseline.Outcome o = new LinearBaseline(data, 1111).run();
        double testF1 = ValidationMonitor.of(
                data.task(), data.split(Split.TEST).labels(), o.predictions().get(Split.TEST));
        // the honest modality alone reaches about 0.6; chance is 1/3
        assertTrue(testF1 > 0.5, "linear test macro-F1 " + testF1);
        assertTrue(Arrays.stream(LinearBaseline.PENALTIES).anyMatch(p -> p == o.penalty()));
        double[] first = o.predictions().get(Split.TEST).values()[0];
        assertTrue(Math.abs(Arrays.stream(first).sum() - 1) < 1e-6, "probabilities sum to 1");
    }
}

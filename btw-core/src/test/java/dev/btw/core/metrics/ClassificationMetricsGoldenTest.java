package dev.btw.core.metrics;

import static dev.btw.core.metrics.GoldenFixtures.assertClose;
import static dev.btw.core.metrics.GoldenFixtures.intMatrix;
import static dev.btw.core.metrics.GoldenFixtures.ints;
import static dev.btw.core.metrics.GoldenFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Classification metrics against scikit-learn (metrics_classification.json). The fixture predates the calibration
 * errors (Brier, ECE), which CalibrationTest checks by hand; here they are only required to be present.
 */
class ClassificationMetricsGoldenTest {

    /** The metrics the fixture holds. */
    private static final List<String> SCIKIT_LEARN =
            List.of(MetricNames.ACCURACY, MetricNames.F1_MACRO, MetricNames.F1_WEIGHTED, MetricNames.AUROC);

    @TestFactory
    Stream<DynamicTest> classificationMetricsMatchScikitLearn() {
        return GoldenFixtures.cases("metrics_classification.json").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    int[] t = ints(c.get("y_true"));
                    double[][] p = matrix(c.get("y_prob"));
                    Map<String, Double> m = ClassificationMetrics.compute(t, p);
                    assertEquals(MetricNames.CLASSIFICATION, List.copyOf(m.keySet()));
                    for (String name : SCIKIT_LEARN) {
                        assertClose(c, name, m.get(name));
                    }
                    assertClose(c, "auroc", Auroc.of(t, p));
                    ConfusionMatrix cm = ClassificationMetrics.confusionMatrix(t, p);
                    assertArrayEquals(
                            intMatrix(c.get("confusion")),
                            cm.toArray(),
                            c.get("name").asText());
                    assertClose(c, "accuracy", cm.accuracy());
                    assertClose(c, "f1_macro", F1Score.macro(cm));
                    assertClose(c, "f1_weighted", F1Score.weighted(cm));
                }));
    }
}

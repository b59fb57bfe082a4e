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

/** Classification metrics against scikit-learn (metrics_classification.json). */
class ClassificationMetricsGoldenTest {

    @TestFactory
    Stream<DynamicTest> classificationMetricsMatchScikitLearn() {
        return GoldenFixtures.cases("metrics_classification.json").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    int[] t = ints(c.get("y_true"));
                    double[][] p = matrix(c.get("y_prob"));
                    Map<String, Double> m = ClassificationMetrics.compute(t, p);
                    assertEquals(MetricNames.CLASSIFICATION, List.copyOf(m.keySet()));
                    for (String name : MetricNames.CLASSIFICATION) {
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

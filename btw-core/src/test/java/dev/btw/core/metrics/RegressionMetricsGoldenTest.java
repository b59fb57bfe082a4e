package dev.btw.core.metrics;

import static dev.btw.core.metrics.GoldenFixtures.assertClose;
import static dev.btw.core.metrics.GoldenFixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Regression and MMSA sentiment metrics against scikit-learn / scipy / MMSA values (metrics_regression.json). */
class RegressionMetricsGoldenTest {

    @TestFactory
    Stream<DynamicTest> regressionMetricsMatchScikitLearn() {
        return GoldenFixtures.cases("metrics_regression.json").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    double[] t = doubles(c.get("y_true"));
                    double[] p = doubles(c.get("y_pred"));
                    Map<String, Double> m = RegressionMetrics.compute(t, p);
                    assertEquals(MetricNames.REGRESSION, List.copyOf(m.keySet()));
                    for (String name : MetricNames.REGRESSION) {
                        assertClose(c, name, m.get(name));
                    }
                    assertClose(c, "mae", ErrorMetrics.mae(t, p));
                    assertClose(c, "rmse", ErrorMetrics.rmse(t, p));
                    assertClose(c, "corr", PearsonCorrelation.of(t, p));
                    assertClose(c, "r2", RSquared.of(t, p));
                }));
    }

    @TestFactory
    Stream<DynamicTest> sentimentMetricsMatchMmsa() {
        List<JsonNode> sentiment = GoldenFixtures.cases("metrics_regression.json").stream()
                .filter(c -> c.has("acc7"))
                .toList();
        assertEquals(6, sentiment.size(), "sentiment cases in metrics_regression.json");
        return sentiment.stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    double[] t = doubles(c.get("y_true"));
                    double[] p = doubles(c.get("y_pred"));
                    Map<String, Double> m = RegressionMetrics.computeSentiment(t, p);
                    assertEquals(10, m.size());
                    for (Map.Entry<String, Double> e : m.entrySet()) {
                        assertClose(c, e.getKey(), e.getValue());
                    }
                    assertClose(c, "acc7", SentimentMetrics.roundedAccuracy(t, p, 3));
                    assertClose(c, "acc5", SentimentMetrics.roundedAccuracy(t, p, 2));
                }));
    }

    @TestFactory
    Stream<DynamicTest> pearsonMatchesScipy() {
        return GoldenFixtures.cases("pearson.json").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    double[] x = doubles(c.get("x"));
                    double[] y = doubles(c.get("y"));
                    assertClose(c, "r", PearsonCorrelation.of(x, y));
                    assertClose(c, "r", PearsonCorrelation.of(y, x));
                }));
    }

    @Test
    void fixturesCoverTheSentimentEdgeCases() {
        List<String> names = GoldenFixtures.cases("metrics_regression.json").stream()
                .map(c -> c.get("name").asText())
                .toList();
        for (String expected : List.of(
                "sentiment_exact_halves_n300",
                "sentiment_hand_halves",
                "gauss_tiny_n5",
                "gauss_n2000",
                "student_t2_n500")) {
            assertEquals(true, names.contains(expected), expected);
        }
    }
}

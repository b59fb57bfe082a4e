package dev.btw.core.metrics;

import static dev.btw.core.metrics.GoldenFixtures.assertClose;
import static dev.btw.core.metrics.GoldenFixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Mean and sample standard deviation over seeds. */
class SeedSummaryMetricsTest {

    @TestFactory
    Stream<DynamicTest> matchesNumpyWithDdofOne() {
        return GoldenFixtures.cases("seed_summary.json").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    double[] v = doubles(c.get("values"));
                    SeedSummary s = SeedSummary.of(v);
                    assertEquals(v.length, s.n());
                    assertClose(c, "mean", s.mean());
                    assertClose(c, "std", s.std());
                }));
    }

    @Test
    void sampleStandardDeviationByHand() {
        SeedSummary s = SeedSummary.of(1.0, 2.0, 3.0, 4.0);
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(), 1e-15); // n - 1, not the population sqrt(5/4)
    }

    @Test
    void oneRunHasZeroStd() {
        SeedSummary s = SeedSummary.of(0.42);
        assertEquals(new SeedSummary(1, 0.42, 0.0), s);
    }

    @Test
    void nanPropagates() {
        SeedSummary s = SeedSummary.of(0.5, Double.NaN, 0.7);
        assertTrue(Double.isNaN(s.mean()));
        assertTrue(Double.isNaN(s.std()));
    }

    @Test
    void byMetricSummarisesEveryMetricInOrder() {
        double[] t = {1, 2, 3, 4};
        List<Map<String, Double>> runs = List.of(
                RegressionMetrics.compute(t, new double[] {1.1, 2.0, 2.9, 4.2}),
                RegressionMetrics.compute(t, new double[] {0.8, 2.1, 3.3, 3.9}),
                RegressionMetrics.compute(t, new double[] {1.0, 2.4, 3.0, 4.0}));
        Map<String, SeedSummary> s = SeedSummary.byMetric(runs);
        assertEquals(MetricNames.REGRESSION, List.copyOf(s.keySet()));
        double[] maes = runs.stream().mapToDouble(r -> r.get(MetricNames.MAE)).toArray();
        assertEquals(SeedSummary.of(maes), s.get(MetricNames.MAE));
        assertEquals(3, s.get(MetricNames.R2).n());
    }

    @Test
    void badInputIsRejected() {
        assertThrows(BtwException.class, () -> SeedSummary.of());
        assertThrows(BtwException.class, () -> SeedSummary.of((double[]) null));
        assertThrows(BtwException.class, () -> SeedSummary.byMetric(List.of()));
        BtwException e = assertThrows(
                BtwException.class,
                () -> SeedSummary.byMetric(List.of(Map.of("mae", 1.0, "r2", 0.5), Map.of("mae", 1.0))));
        assertTrue(e.getMessage().contains("run 1"), e.getMessage());
        assertThrows(BtwException.class, () -> new SeedSummary(0, 1.0, 0.0));
    }

    @Test
    void readableToString() {
        assertEquals("0.8123 ± 0.0100 (n=2)", new SeedSummary(2, 0.81234, 0.01).toString());
    }
}

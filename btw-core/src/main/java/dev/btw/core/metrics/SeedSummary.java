package dev.btw.core.metrics;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mean and standard deviation of one metric over runs with different seeds.
 *
 * <p>{@code std} is the <em>sample</em> standard deviation (divisor n - 1, numpy's {@code np.std(ddof=1)}), the
 * usual choice when a handful of seeds stands for the distribution over all seeds; for a single run it is 0.
 * A {@code NaN} value (an undefined correlation in one run, say) makes the mean and std {@code NaN}: the report
 * shows that something was undefined rather than averaging it away.
 *
 * @param n the number of runs, at least 1
 * @param mean the arithmetic mean
 * @param std the sample standard deviation (n - 1), 0 when n = 1
 */
public record SeedSummary(int n, double mean, double std) {

    /**
     * @param n the number of runs, at least 1
     * @param mean the arithmetic mean
     * @param std the sample standard deviation, not negative (or {@code NaN})
     * @throws BtwException when {@code n < 1} or {@code std < 0}
     */
    public SeedSummary {
        if (n < 1) {
            throw new BtwException("seed summary: n must be at least 1, got " + n);
        }
        if (std < 0) {
            throw new BtwException("seed summary: std must not be negative, got " + std);
        }
    }

    /**
     * Summarises one metric over runs.
     *
     * @param values one value per run, at least one; {@code NaN} propagates
     * @return the summary
     * @throws BtwException when {@code values} is null or empty
     */
    public static SeedSummary of(double... values) {
        if (values == null || values.length == 0) {
            throw new BtwException("seed summary: no values (at least one run is needed)");
        }
        int n = values.length;
        double mean = Means.mean(values);
        if (n == 1) {
            return new SeedSummary(1, mean, 0.0);
        }
        double ss = 0.0;
        for (double v : values) {
            double d = v - mean;
            ss += d * d;
        }
        return new SeedSummary(n, mean, Math.sqrt(ss / (n - 1)));
    }

    /**
     * Summarises every metric over runs, for instance the maps returned by {@link RegressionMetrics#compute} for
     * each seed.
     *
     * @param runs one metric map per run, at least one; every run must have the same metric names
     * @return an unmodifiable map from metric name to its summary, in the order of the first run's names
     * @throws BtwException when there are no runs, or a run lacks a metric another has
     */
    public static Map<String, SeedSummary> byMetric(List<Map<String, Double>> runs) {
        if (runs == null || runs.isEmpty()) {
            throw new BtwException("seed summary: no runs (at least one run is needed)");
        }
        List<String> names = new ArrayList<>(runs.get(0).keySet());
        for (int r = 1; r < runs.size(); r++) {
            if (!runs.get(r).keySet().equals(runs.get(0).keySet())) {
                throw new BtwException("seed summary: run " + r + " has metrics "
                        + runs.get(r).keySet() + " but run 0 has " + runs.get(0).keySet());
            }
        }
        Map<String, SeedSummary> out = new LinkedHashMap<>();
        for (String name : names) {
            double[] values = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                Double v = runs.get(r).get(name);
                if (v == null) {
                    throw new BtwException("seed summary: run " + r + " has no value for metric '" + name + "'");
                }
                values[r] = v;
            }
            out.put(name, of(values));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return e.g. {@code "0.8123 ± 0.0091 (n=5)"} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", mean, std, n);
    }
}

package dev.btw.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.app.experiment.Method;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.metrics.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The finished runs of one data set in a suite work folder, read back from the run directories: per condition
 * and seed, every method's metrics per split, the wall time, and the BTW weights of the last refresh.
 */
public final class DatasetResults {

    private final String name;
    private final String task;
    private final Map<String, Integer> modalities = new LinkedHashMap<>();
    private final List<Integer> seeds;
    /** condition -> seed -> method -> split -> metric -> value. */
    private final Map<String, Map<Integer, Map<String, Map<String, Map<String, Double>>>>> runs = new TreeMap<>();

    private final Map<String, Map<Integer, Double>> seconds = new TreeMap<>();
    private final Path dir;

    private DatasetResults(Path dir, String name, String task, List<Integer> seeds) {
        this.dir = dir;
        this.name = name;
        this.task = task;
        this.seeds = seeds;
    }

    /**
     * @param dir {@code WORK/<data set>}
     * @param seeds the plan's seeds, in order
     * @return what finished there
     */
    public static DatasetResults read(Path dir, List<Integer> seeds) {
        JsonNode ds = readJson(dir.resolve("dataset.json"));
        DatasetResults r =
                new DatasetResults(dir, ds.get("name").asText(), ds.get("task").asText(), seeds);
        ds.get("modalities")
                .fields()
                .forEachRemaining(e -> r.modalities.put(e.getKey(), e.getValue().asInt()));
        try (Stream<Path> conds = Files.list(dir)) {
            for (Path c : conds.filter(Files::isDirectory).toList()) {
                for (int seed : seeds) {
                    RunDirectory run = RunDirectory.of(c.resolve(RunDirectory.seedFolder(seed)));
                    if (!run.isFinished()) {
                        continue;
                    }
                    r.runs.computeIfAbsent(c.getFileName().toString(), k -> new TreeMap<>())
                            .put(seed, parseMetrics(readJson(run.metrics())));
                    if (Files.exists(run.provenance())) {
                        r.seconds
                                .computeIfAbsent(c.getFileName().toString(), k -> new TreeMap<>())
                                .put(
                                        seed,
                                        readJson(run.provenance())
                                                .get("total_seconds")
                                                .asDouble());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    private static Map<String, Map<String, Map<String, Double>>> parseMetrics(JsonNode metrics) {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metrics.get("methods").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            Map<String, Map<String, Double>> bySplit = new LinkedHashMap<>();
            m.getValue().fields().forEachRemaining(s -> {
                Map<String, Double> vals = new LinkedHashMap<>();
                s.getValue()
                        .fields()
                        .forEachRemaining(v ->
                                vals.put(v.getKey(), v.getValue().get("mean").asDouble()));
                bySplit.put(s.getKey(), vals);
            });
            out.put(m.getKey(), bySplit);
        }
        return out;
    }

    /** @return the data set's name */
    public String name() {
        return name;
    }

    /** @return {@code regression} or {@code classification} */
    public String task() {
        return task;
    }

    /** @return modality widths, in model order */
    public Map<String, Integer> modalities() {
        return modalities;
    }

    /** @return whether the task is regression */
    public boolean regression() {
        return "regression".equals(task);
    }

    /** @return the headline metric: MAE for regression, macro-F1 for classification (the validation monitor) */
    public String mainMetric() {
        return regression() ? "mae" : "f1_macro";
    }

    /** @return the metrics shown in the tables, the headline one first */
    public List<String> tableMetrics() {
        return regression() ? List.of("mae", "rmse", "corr", "r2") : List.of("f1_macro", "accuracy", "auroc");
    }

    /**
     * @param metric a metric name
     * @return whether smaller values are better
     */
    public static boolean lowerIsBetter(String metric) {
        return metric.equals("mae")
                || metric.equals("rmse")
                || metric.equals(MetricNames.BRIER)
                || metric.equals(MetricNames.ECE);
    }

    /** @return conditions with at least one finished seed */
    public List<String> conditions() {
        return new ArrayList<>(runs.keySet());
    }

    /**
     * @param condition a condition
     * @return its finished seeds, in plan order
     */
    public List<Integer> seeds(String condition) {
        List<Integer> s = new ArrayList<>();
        Map<Integer, ?> r = runs.getOrDefault(condition, Map.of());
        for (int seed : seeds) {
            if (r.containsKey(seed)) {
                s.add(seed);
            }
        }
        return s;
    }

    /**
     * @param condition a condition
     * @return its methods in run order (from the first finished seed)
     */
    public List<String> methods(String condition) {
        Map<Integer, Map<String, Map<String, Map<String, Double>>>> r = runs.get(condition);
        if (r == null || r.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(r.get(seeds(condition).get(0)).keySet());
    }

    /**
     * @param condition a condition
     * @param method a method
     * @param split {@code train}, {@code val} or {@code test}
     * @param metric a metric
     * @return one value per finished seed of the condition ({@code NaN} where missing)
     */
    public double[] values(String condition, String method, String split, String metric) {
        List<Integer> s = seeds(condition);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            Map<String, Map<String, Double>> m =
                    runs.get(condition).get(s.get(i)).get(method);
            Double x = m == null ? null : m.getOrDefault(split, Map.of()).get(metric);
            v[i] = x == null ? Double.NaN : x;
        }
        return v;
    }

    /**
     * @param condition a condition
     * @param only the seeds wanted, in order
     * @param method a method
     * @param split {@code train}, {@code val} or {@code test}
     * @param metric a metric
     * @return one value per seed of {@code only} ({@code NaN} where that seed or value is missing)
     */
    public double[] values(String condition, List<Integer> only, String method, String split, String metric) {
        double[] v = new double[only.size()];
        Map<Integer, Map<String, Map<String, Map<String, Double>>>> bySeed = runs.getOrDefault(condition, Map.of());
        for (int i = 0; i < v.length; i++) {
            Map<String, Map<String, Double>> m =
                    bySeed.getOrDefault(only.get(i), Map.of()).get(method);
            Double x = m == null ? null : m.getOrDefault(split, Map.of()).get(metric);
            v[i] = x == null ? Double.NaN : x;
        }
        return v;
    }

    /** @return the modality whose unimodal reference has the best mean validation headline metric, or null */
    public String bestUnimodal() {
        if (!runs.containsKey("main")) {
            return null;
        }
        String best = null;
        double bestV = Double.NaN;
        for (String m : modalities.keySet()) {
            double v = mean(values("main", Method.unimodal(m).toString(), "val", mainMetric()));
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (lowerIsBetter(mainMetric()) ? v < bestV : v > bestV)) {
                best = m;
                bestV = v;
            }
        }
        return best;
    }

    /**
     * @param condition a condition
     * @return wall seconds per finished seed
     */
    public Map<Integer, Double> seconds(String condition) {
        return seconds.getOrDefault(condition, Map.of());
    }

    /**
     * The mean weight per modality at the last refresh, averaged over the finished seeds.
     *
     * @param condition a condition
     * @param slug the method's file-name slug
     * @param field {@code mean_weight} or {@code mi}
     * @return modality to value (empty when the method wrote no weights)
     */
    public Map<String, Double> lastRefresh(String condition, String slug, String field) {
        Map<String, Double> sum = new LinkedHashMap<>();
        Map<Integer, Map<String, Double>> bySeed = lastRefreshBySeed(condition, slug, field);
        bySeed.values().forEach(m -> m.forEach((k, v) -> sum.merge(k, v, Double::sum)));
        int count = bySeed.size();
        sum.replaceAll((k, v) -> v / count);
        return sum;
    }

    /**
     * The value per modality at the last refresh of each finished seed that wrote weights.
     *
     * @param condition a condition
     * @param slug the method's file-name slug
     * @param field {@code mean_weight} or {@code mi}
     * @return seed to modality to value, seeds in plan order (empty when the method wrote no weights)
     */
    public Map<Integer, Map<String, Double>> lastRefreshBySeed(String condition, String slug, String field) {
        Map<Integer, Map<String, Double>> out = new LinkedHashMap<>();
        for (int seed : seeds(condition)) {
            Path w = RunDirectory.of(dir.resolve(condition).resolve(RunDirectory.seedFolder(seed)))
                    .weightsOfSlug(slug, seed);
            if (!Files.isDirectory(w)) {
                continue;
            }
            try (Stream<Path> files = Files.list(w)) {
                Path last = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                        .sorted()
                        .reduce((a, b) -> b)
                        .orElse(null);
                if (last == null) {
                    continue;
                }
                JsonNode node = readJson(last).get(field);
                if (node == null) {
                    continue;
                }
                Map<String, Double> values = new LinkedHashMap<>();
                node.fields()
                        .forEachRemaining(
                                e -> values.put(e.getKey(), e.getValue().asDouble()));
                out.put(seed, values);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static JsonNode readJson(Path file) {
        try {
            return SuiteRunner.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

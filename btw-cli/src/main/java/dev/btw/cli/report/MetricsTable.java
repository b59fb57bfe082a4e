package dev.btw.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the run directory's {@code metrics.json} ({@code {"task", "methods": {METHOD: {SPLIT: {METRIC:
 * {"mean", "std", "runs"}}}}}}) into one table per split: a row per method, a column per metric, cells
 * {@code mean ± std (n runs)}.
 */
public final class MetricsTable {

    private MetricsTable() {}

    /**
     * @param metrics the parsed metrics.json
     * @return the splits present, in the order train, val, test, then any other
     */
    public static List<String> splits(JsonNode metrics) {
        Set<String> splits = new LinkedHashSet<>(List.of("train", "val", "test"));
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode method : iterable(metrics.path("methods").elements())) {
            method.fieldNames().forEachRemaining(seen::add);
        }
        List<String> out = new ArrayList<>();
        for (String s : splits) {
            if (seen.contains(s)) {
                out.add(s);
            }
        }
        for (String s : seen) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @param metrics the parsed metrics.json
     * @param split a split name
     * @return the metric names reported for that split by any method, in first-seen order
     */
    public static List<String> metricNames(JsonNode metrics, String split) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode method : iterable(metrics.path("methods").elements())) {
            method.path(split).fieldNames().forEachRemaining(names::add);
        }
        return new ArrayList<>(names);
    }

    /**
     * Adds one table per split to the page.
     *
     * @param page the page
     * @param metrics the parsed metrics.json
     */
    public static void addTo(HtmlPage page, JsonNode metrics) {
        for (String split : splits(metrics)) {
            List<String> names = metricNames(metrics, split);
            names.remove("confusion");
            List<String> header = new ArrayList<>();
            header.add("method");
            header.addAll(names);
            List<List<String>> rows = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            metrics.path("methods").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> method = it.next();
                JsonNode s = method.getValue().path(split);
                if (s.isMissingNode()) {
                    continue;
                }
                List<String> row = new ArrayList<>();
                row.add(method.getKey());
                for (String name : names) {
                    row.add(cell(s.path(name)));
                }
                rows.add(row);
            }
            page.heading(3, "Split: " + split);
            page.table(header, rows);
        }
    }

    /**
     * @param m one metric's node: {@code {"mean", "std", "runs"}} or a plain number
     * @return {@code mean ± std}, or an empty string when absent
     */
    public static String cell(JsonNode m) {
        if (m.isNumber()) {
            return format(m.asDouble());
        }
        if (!m.has("mean")) {
            return "";
        }
        String text = format(m.path("mean").asDouble());
        if (m.has("std")) {
            text += " ± " + format(m.path("std").asDouble());
        }
        return text;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }
}

package dev.btw.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.BtwException;
import dev.btw.core.metrics.MetricNames;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.RefreshRecord;
import dev.btw.core.weights.WeightsHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the HTML report of a run directory: the metrics per method and split (mean ± std over seeds), the
 * unimodal references against the fusion methods, the overfitting signal of each reference (train against val,
 * {@link OverfittingSignal}), and for every BTW method the per-modality weight trajectories,
 * MI shares and smoothing factor across refreshes, and histograms of the final instance weights.
 */
public final class RunReport {

    private final Path run;

    /** @param run the run directory written by {@code btw train} */
    public RunReport(Path run) {
        this.run = run;
    }

    /**
     * @return the whole page
     * @throws BtwException when the run directory or its metrics.json is missing or malformed
     */
    public String render() {
        JsonNode metrics = readMetrics();
        String task = metrics.path("task").asText("?");
        HtmlPage page = new HtmlPage("btw run report: " + run.getFileName());
        page.paragraph("Task: " + task + ". Run directory: " + run.getFileName()
                + ". Values are mean ± standard deviation over seeds (sample std; 0 for one seed).");
        page.heading(2, "Metrics");
        MetricsTable.addTo(page, metrics);
        addReferenceComparison(page, metrics, task);
        OverfittingSignal.addTo(page, metrics, run);
        addWeights(page);
        return page.render();
    }

    private JsonNode readMetrics() {
        return RunDirectory.of(run).readMetrics();
    }

    private void addReferenceComparison(HtmlPage page, JsonNode metrics, String task) {
        String split = MetricsTable.splits(metrics).contains("test") ? "test" : "val";
        String metric = "classification".equals(task) ? MetricNames.F1_MACRO : MetricNames.MAE;
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.path("methods").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            JsonNode node = m.getValue().path(split).path(metric).path("mean");
            if (node.isNumber()) {
                values.put(m.getKey(), node.asDouble());
            }
        }
        if (values.isEmpty()) {
            return;
        }
        page.heading(2, "Unimodal references against the fusion");
        page.paragraph(metric + " on " + split + " (" + (MetricNames.higherIsBetter(metric) ? "higher" : "lower")
                + " is better), mean over seeds.");
        page.figure(SvgChart.bars(metric + " on " + split, metric, Map.of(metric, values)));
    }

    private void addWeights(HtmlPage page) {
        Path weights = RunDirectory.of(run).weights();
        if (!Files.isDirectory(weights)) {
            page.heading(2, "BTW weights");
            page.paragraph("No weights folder: this run trained no BTW method.");
            return;
        }
        for (Path methodDir : list(weights)) {
            List<Path> seeds = list(methodDir);
            if (seeds.isEmpty()) {
                continue;
            }
            Path first = seeds.get(0);
            WeightsHistory history = WeightsHistory.readFrom(first);
            if (history.size() == 0) {
                continue;
            }
            String title = methodDir.getFileName() + " (" + first.getFileName() + ")";
            page.heading(2, "BTW weights: " + title);
            page.paragraph(history.size() + " refreshes; rule " + history.last().rule() + "; " + seeds.size()
                    + " seed(s) in the run, the first is shown.");
            page.figure(SvgChart.lines(
                    "Mean training weight per modality", "refresh", "mean weight", trajectories(history, true)));
            page.figure(SvgChart.lines("MI share per modality", "refresh", "share", trajectories(history, false)));
            Map<String, List<double[]>> smoothing = new LinkedHashMap<>();
            List<double[]> s = new ArrayList<>();
            for (RefreshRecord r : history.records()) {
                s.add(new double[] {r.index(), r.smoothing()});
            }
            smoothing.put("s", s);
            page.figure(SvgChart.lines("Smoothing factor s", "refresh", "s", smoothing));
            page.figure(SvgChart.histogram(
                    "Instance weights at the last refresh",
                    "weight",
                    instanceWeights(history.last().weights()),
                    30));
        }
    }

    private static Map<String, List<double[]>> trajectories(WeightsHistory history, boolean means) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (RefreshRecord r : history.records()) {
            Map<String, Double> values = means ? r.meanWeights() : r.shares();
            for (Map.Entry<String, Double> e : values.entrySet()) {
                series.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {r.index(), e.getValue()});
            }
        }
        return series;
    }

    private static Map<String, double[]> instanceWeights(ModalityWeights w) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String m : w.modalities()) {
            // Missing modalities carry weight 0 and are left out of the histogram.
            out.put(m, Arrays.stream(w.column(m)).filter(v -> v > 0).toArray());
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new BtwException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}

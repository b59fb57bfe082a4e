package dev.btw.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.app.experiment.Method;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.metrics.MetricNames;
import dev.btw.core.metrics.PredictionFileScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's overfitting signal: every unimodal reference's train metric against its val metric, with a flag
 * on a reference whose gap is large. BTW's default ({@code btw.references: in-sample}) computes the weights from
 * the references' train predictions, so a reference that memorised its train instances looks more informative
 * than it is on unseen data, and its modality's in-sample weights are suspect (docs/METHOD.md, "Reference
 * policies"). When the run trained out-of-fold references, their train metric is shown too: close to val when
 * the gap was memorisation.
 */
public final class OverfittingSignal {

    /** Classification: flag when train macro-F1 exceeds val macro-F1 by more than this (absolute). */
    public static final double MAX_F1_GAP = 0.15;
    /** Regression: flag when val MAE exceeds train MAE by more than this factor. */
    public static final double MAX_MAE_RATIO = 1.5;

    /**
     * One reference's row.
     *
     * @param modality the modality
     * @param train its metric on train (in-sample)
     * @param val its metric on val
     * @param flagged whether the gap is large
     * @param outOfFold its metric on train from the out-of-fold models, NaN when the run has none
     */
    public record Row(String modality, double train, double val, boolean flagged, double outOfFold) {}

    private OverfittingSignal() {}

    /**
     * @param metrics the parsed metrics.json
     * @return a row per {@code unimodal:*} method that has train and val means of the task's monitor metric
     */
    public static List<Row> rows(JsonNode metrics) {
        return rows(metrics, null);
    }

    /**
     * @param metrics the parsed metrics.json
     * @param run the run directory, whose {@code references/<m>/train-out-of-fold.csv} give the out-of-fold
     *     column when present (null: none)
     * @return a row per {@code unimodal:*} method that has train and val means of the task's monitor metric
     */
    public static List<Row> rows(JsonNode metrics, Path run) {
        boolean classification = "classification".equals(metrics.path("task").asText());
        String metric = classification ? MetricNames.F1_MACRO : MetricNames.MAE;
        List<Row> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.path("methods").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!(Method.parse(m.getKey()) instanceof Method.Unimodal unimodal)) {
                continue;
            }
            JsonNode train = m.getValue().path("train").path(metric).path("mean");
            JsonNode val = m.getValue().path("val").path(metric).path("mean");
            if (!train.isNumber() || !val.isNumber()) {
                continue;
            }
            double t = train.asDouble();
            double v = val.asDouble();
            boolean flag = classification ? t - v > MAX_F1_GAP : v > MAX_MAE_RATIO * t;
            String modality = unimodal.modality();
            double oof = Double.NaN;
            Path file = run == null ? null : RunDirectory.of(run).referenceOutOfFold(modality);
            if (file != null && Files.isRegularFile(file)) {
                Double score = PredictionFileScore.score(file).get(metric);
                oof = score == null ? Double.NaN : score;
            }
            rows.add(new Row(modality, t, v, flag, oof));
        }
        return rows;
    }

    /**
     * Adds the section to the page (nothing when the run has no reference with train and val metrics).
     *
     * @param page the page
     * @param metrics the parsed metrics.json
     * @param run the run directory (for the out-of-fold column), or null
     */
    public static void addTo(HtmlPage page, JsonNode metrics, Path run) {
        List<Row> rows = rows(metrics, run);
        boolean oof = rows.stream().anyMatch(r -> !Double.isNaN(r.outOfFold()));
        if (rows.isEmpty()) {
            return;
        }
        boolean classification = "classification".equals(metrics.path("task").asText());
        String metric = classification ? MetricNames.F1_MACRO : MetricNames.MAE;
        page.heading(2, "Overfitting signal: references on train against val");
        page.paragraph("BTW computes its weights from the references' train predictions (btw.references: "
                + "in-sample). A reference that memorised its train instances looks more informative there than on "
                + "unseen data, so a flagged modality's in-sample weights are suspect: try btw.references: "
                + "out-of-fold (with btw.fold_group if the split keeps groups apart). Flagged: "
                + (classification
                        ? "train " + metric + " above val by more than " + MAX_F1_GAP
                        : "val " + metric + " above " + MAX_MAE_RATIO + " times train")
                + ".");
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            String gap = classification ? fmt(r.train() - r.val()) : fmt(r.val() / r.train()) + "x";
            List<String> row = new ArrayList<>(List.of(r.modality(), fmt(r.train())));
            if (oof) {
                row.add(Double.isNaN(r.outOfFold()) ? "" : fmt(r.outOfFold()));
            }
            row.addAll(List.of(fmt(r.val()), gap, r.flagged() ? "OVERFITS: in-sample weights suspect" : "ok"));
            table.add(row);
        }
        List<String> header = new ArrayList<>(List.of("reference", "train " + metric));
        if (oof) {
            header.add("out-of-fold train " + metric);
        }
        header.addAll(List.of("val " + metric, classification ? "gap (train - val)" : "ratio (val / train)", "signal"));
        page.table(header, table);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

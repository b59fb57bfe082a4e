package dev.btw.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.cli.Btw;
import dev.btw.core.BtwException;
import dev.btw.core.io.Json;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.WeightsHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path run;

    private void writeRun() throws Exception {
        Files.writeString(
                run.resolve("metrics.json"),
                "{\"task\":\"regression\",\"methods\":{"
                        + "\"unimodal:text\":{\"test\":{\"mae\":{\"mean\":0.9,\"std\":0.0,\"runs\":[0.9]}}},"
                        + "\"uniform\":{\"test\":{\"mae\":{\"mean\":0.7,\"std\":0.05,\"runs\":[0.65,0.75]}},"
                        + "\"val\":{\"mae\":{\"mean\":0.8,\"std\":0.01,\"runs\":[0.79,0.81]}}},"
                        + "\"kl*mi\":{\"test\":{\"mae\":{\"mean\":0.6123,\"std\":0.02,\"runs\":[0.6,0.62]}}}}}");
        WeightsHistory h = new WeightsHistory();
        List<String> ids = List.of("a", "b", "c");
        for (int r = 0; r < 3; r++) {
            Map<String, double[]> cols = new LinkedHashMap<>();
            cols.put("text", new double[] {0.6, 0.7 - r * 0.1, 0.8});
            cols.put("audio", new double[] {0.4, 0.3 + r * 0.1, 0});
            Map<String, Double> shares = new LinkedHashMap<>();
            shares.put("text", 0.7);
            shares.put("audio", 0.3);
            h.add(r + 1, 0.5 + 0.05 * r, CombinationRule.parse("kl*mi"), shares, new ModalityWeights(ids, cols));
        }
        h.writeTo(run.resolve("weights").resolve("kl_mi").resolve("seed-1111"));
    }

    @Test
    void aReferenceThatMemorisesIsFlaggedAndAnHonestOneIsNot() throws Exception {
        Files.writeString(
                run.resolve("metrics.json"),
                "{\"task\":\"classification\",\"methods\":{"
                        + "\"unimodal:audio\":{\"train\":{\"f1_macro\":{\"mean\":0.943}},\"val\":{\"f1_macro\":{\"mean\":0.545}}},"
                        + "\"unimodal:image\":{\"train\":{\"f1_macro\":{\"mean\":0.703}},\"val\":{\"f1_macro\":{\"mean\":0.695}}},"
                        + "\"uniform\":{\"train\":{\"f1_macro\":{\"mean\":0.99}},\"val\":{\"f1_macro\":{\"mean\":0.7}}}}}");
        String html = new RunReport(run).render();
        assertTrue(html.contains("Overfitting signal"), html);
        assertTrue(html.contains("<td>audio</td><td>0.9430</td><td>0.5450</td><td>0.3980</td><td>OVERFITS"), html);
        assertTrue(html.contains("<td>image</td><td>0.7030</td><td>0.6950</td><td>0.0080</td><td>ok</td>"), html);
        assertFalse(html.contains("<td>uniform</td><td>0.9900</td><td>0.7000</td>"), "only references are judged");
        // with out-of-fold references, their train metric shows beside the in-sample one
        Path oof = run.resolve("references/audio/train-out-of-fold.csv");
        Files.createDirectories(oof.getParent());
        Files.writeString(oof, "id,a,b,label\ni1,0.9,0.1,a\ni2,0.2,0.8,b\ni3,0.3,0.7,a\ni4,0.6,0.4,b\n");
        html = new RunReport(run).render();
        assertTrue(html.contains("out-of-fold train f1_macro"), html);
        assertTrue(html.contains("<td>audio</td><td>0.9430</td><td>0.5000</td><td>0.5450</td>"), html);
        assertTrue(html.contains("<td>image</td><td>0.7030</td><td></td><td>0.6950</td>"), html);
        Files.writeString(
                run.resolve("metrics.json"),
                "{\"task\":\"regression\",\"methods\":{"
                        + "\"unimodal:bp\":{\"train\":{\"mae\":{\"mean\":20}},\"val\":{\"mae\":{\"mean\":45}}},"
                        + "\"unimodal:labs\":{\"train\":{\"mae\":{\"mean\":40}},\"val\":{\"mae\":{\"mean\":44}}}}}");
        List<OverfittingSignal.Row> rows = OverfittingSignal.rows(
                Json.MAPPER.readTree(run.resolve("metrics.json").toFile()));
        assertEquals(
                List.of(true, false),
                rows.stream().map(OverfittingSignal.Row::flagged).toList());
    }

    @Test
    void pageHoldsTablesAndOneChartPerWeightView() throws Exception {
        writeRun();
        String html = new RunReport(run).render();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<td>kl*mi</td><td>0.6123 ± 0.0200</td>"), html);
        assertTrue(html.contains("Split: val") && html.contains("Split: test"));
        assertFalse(html.contains("Split: train"));
        // bars, mean weights, MI shares, smoothing, histogram
        Matcher svg = Pattern.compile("<svg").matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
        }
        assertEquals(5, charts);
        assertTrue(html.contains("3 refreshes; rule kl*mi"), html);
        assertFalse(html.contains("<script"), "the page must be self-contained and static");
    }

    @Test
    void commandWritesReportAndNamesAMissingRun() throws Exception {
        writeRun();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Btw()
                .run(new String[] {"report", "--run", run.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(0, status, err.toString());
        assertTrue(Files.size(run.resolve("report.html")) > 10_000);
        status = new Btw()
                .run(
                        new String[] {"report", "--run", run.resolve("nope").toString()},
                        new PrintStream(out),
                        new PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString().contains("run directory not found"), err.toString());
        Files.writeString(run.resolve("metrics.json"), "{not json");
        assertThrows(BtwException.class, () -> new RunReport(run).render());
    }
}

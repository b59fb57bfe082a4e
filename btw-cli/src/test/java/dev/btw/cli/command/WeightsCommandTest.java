package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.cli.Btw;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsCommandTest {

    @TempDir
    Path dir;

    private String lastOut;
    private String lastErr;

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        lastOut = out.toString(StandardCharsets.UTF_8);
        lastErr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    @BeforeEach
    void writeRegressionFiles() throws IOException {
        Random r = new Random(11);
        StringBuilder u = new StringBuilder("id,text,audio,video\n");
        StringBuilder q = new StringBuilder("id,prediction\n");
        StringBuilder y = new StringBuilder("id,label\n");
        for (int i = 0; i < 40; i++) {
            double label = r.nextGaussian();
            String video = i % 5 == 0 ? "" : Double.toString(label + 2 * r.nextGaussian());
            u.append("s")
                    .append(i)
                    .append(',')
                    .append(label + 0.2 * r.nextGaussian())
                    .append(',')
                    .append(label + r.nextGaussian())
                    .append(',')
                    .append(video)
                    .append('\n');
            q.append("s")
                    .append(i)
                    .append(',')
                    .append(label + 0.3 * r.nextGaussian())
                    .append('\n');
            y.append("s").append(i).append(',').append(label).append('\n');
        }
        Files.writeString(dir.resolve("u.csv"), u);
        Files.writeString(dir.resolve("q.csv"), q);
        Files.writeString(dir.resolve("y.csv"), y);
        StringBuilder uc = new StringBuilder("id,text:neg,text:pos,audio:neg,audio:pos\n");
        StringBuilder qc = new StringBuilder("id,pos,neg,label\n");
        for (int i = 0; i < 20; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            double c = r.nextDouble();
            String audio = i == 3 ? "," : (1 - b) + "," + b;
            uc.append("c")
                    .append(i)
                    .append(',')
                    .append(1 - a)
                    .append(',')
                    .append(a)
                    .append(',')
                    .append(audio)
                    .append('\n');
            qc.append("c")
                    .append(i)
                    .append(',')
                    .append(c)
                    .append(',')
                    .append(1 - c)
                    .append(",pos\n");
        }
        Files.writeString(dir.resolve("uc.csv"), uc);
        Files.writeString(dir.resolve("qc.csv"), qc);
    }

    @Test
    void regressionHappyPathWritesWeightsAndSummary() throws IOException {
        int status = run(
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u.csv"),
                "--multi",
                p("q.csv"),
                "--labels",
                p("y.csv"),
                "--out",
                p("w.csv"),
                "--summary",
                p("s.json"));
        assertEquals(0, status, lastErr);
        List<String> lines = Files.readAllLines(dir.resolve("w.csv"));
        assertEquals("id,text,audio,video", lines.get(0));
        assertEquals(41, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals("s0", first[0]);
        assertEquals(0.0, Double.parseDouble(first[3]), 0.0); // video missing for s0
        // the default scale, mean-one (the config's, as in training): the two present weights average 1
        assertEquals(2.0, Double.parseDouble(first[1]) + Double.parseDouble(first[2]), 1e-12);
        JsonNode s = new ObjectMapper().readTree(dir.resolve("s.json").toFile());
        assertEquals("kl*mi", s.get("rule").asText());
        assertEquals(40, s.get("n").asInt());
        double total = s.get("mi").get("text").asDouble()
                + s.get("mi").get("audio").asDouble()
                + s.get("mi").get("video").asDouble();
        assertEquals(1.0, total, 1e-12);
        assertTrue(s.get("mean_weight").has("video"));
    }

    @Test
    void previousWeightsAreSmoothed() throws IOException {
        // previous: the default rule's weights (far from uniform); current: uniform targets, 1 under the default
        // scale mean-one
        assertEquals(
                0,
                run(
                        "weights",
                        "--task",
                        "regression",
                        "--uni",
                        p("u.csv"),
                        "--multi",
                        p("q.csv"),
                        "--labels",
                        p("y.csv"),
                        "--out",
                        p("w1.csv")),
                lastErr);
        for (double s : new double[] {0.25, 0.75}) {
            assertEquals(
                    0,
                    run(
                            "weights",
                            "--task",
                            "regression",
                            "--uni",
                            p("u.csv"),
                            "--multi",
                            p("q.csv"),
                            "--labels",
                            p("y.csv"),
                            "--rule",
                            "uniform",
                            "--previous",
                            p("w1.csv"),
                            "--smoothing",
                            Double.toString(s),
                            "--out",
                            p("w2.csv")),
                    lastErr);
            List<String> previous = Files.readAllLines(dir.resolve("w1.csv"));
            List<String> smoothed = Files.readAllLines(dir.resolve("w2.csv"));
            assertEquals(previous.get(0), smoothed.get(0));
            int checked = 0;
            for (int i = 1; i < previous.size(); i++) {
                String[] w = previous.get(i).split(",");
                String[] b = smoothed.get(i).split(",");
                for (int c = 1; c < w.length; c++) {
                    double old = Double.parseDouble(w[c]);
                    double expected = old == 0 ? 0 : s + (1 - s) * old; // W = s f + (1 - s) W_prev, f = 1
                    assertEquals(expected, Double.parseDouble(b[c]), 1e-12, "row " + w[0] + " column " + c);
                    checked += Math.abs(old - 1.0) > 0.05 ? 1 : 0;
                }
            }
            assertTrue(checked > 20, "enough weights far from uniform to see the smoothing: " + checked);
        }
    }

    @Test
    void globalSigmasWithoutLabels() throws IOException {
        assertEquals(
                0,
                run(
                        "weights",
                        "--task",
                        "regression",
                        "--uni",
                        p("u.csv"),
                        "--multi",
                        p("q.csv"),
                        "--sigma",
                        "global",
                        "--sigmas",
                        "text=0.2,audio=1,video=2,fused=0.3",
                        "--out",
                        p("w.csv")),
                lastErr);
        assertTrue(Files.exists(dir.resolve("w.csv")));
        assertEquals(
                2,
                run(
                        "weights",
                        "--task",
                        "regression",
                        "--uni",
                        p("u.csv"),
                        "--multi",
                        p("q.csv"),
                        "--sigma",
                        "global",
                        "--out",
                        p("w.csv")));
        assertTrue(lastErr.contains("--sigmas or --labels"), lastErr);
    }

    @Test
    void classificationHappyPath() throws IOException {
        int status = run(
                "weights",
                "--task",
                "classification",
                "--uni",
                p("uc.csv"),
                "--multi",
                p("qc.csv"),
                "--out",
                p("wc.csv"),
                "--summary",
                p("sc.json"));
        assertEquals(0, status, lastErr);
        List<String> lines = Files.readAllLines(dir.resolve("wc.csv"));
        assertEquals("id,text,audio", lines.get(0));
        assertEquals("c3,1.0,0.0", lines.get(4));
        JsonNode s = new ObjectMapper().readTree(dir.resolve("sc.json").toFile());
        assertEquals(20, s.get("n").asInt());
    }

    private void assertBadInput(String expectedInMessage, String... args) throws IOException {
        Path out = dir.resolve("bad-out.csv");
        Files.deleteIfExists(out);
        String[] full = Stream.concat(Stream.of(args), Stream.of("--out", out.toString()))
                .toArray(String[]::new);
        assertEquals(2, run(full), lastErr);
        assertEquals(1, lastErr.strip().lines().count(), lastErr);
        assertTrue(lastErr.contains(expectedInMessage), lastErr);
        assertFalse(Files.exists(out), "no partial output");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoOutput() throws IOException {
        Files.writeString(dir.resolve("q-unknown.csv"), Files.readString(dir.resolve("q.csv")) + "zz,1.0\n");
        assertBadInput(
                "unknown id 'zz'",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u.csv"),
                "--multi",
                p("q-unknown.csv"),
                "--labels",
                p("y.csv"));
        Files.writeString(
                dir.resolve("u-text.csv"),
                Files.readString(dir.resolve("u.csv")).replaceFirst("\ns3,[^,]*,", "\ns3,abc,"));
        assertBadInput(
                "line 5, column 'text': not a number: 'abc'",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u-text.csv"),
                "--multi",
                p("q.csv"),
                "--labels",
                p("y.csv"));
        Files.writeString(
                dir.resolve("q-nan.csv"),
                Files.readString(dir.resolve("q.csv")).replaceFirst("\ns1,[^\n]*", "\ns1,NaN"));
        assertBadInput(
                "column 'prediction': NaN is not allowed",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u.csv"),
                "--multi",
                p("q-nan.csv"),
                "--labels",
                p("y.csv"));
        Files.writeString(
                dir.resolve("qc-classes.csv"),
                Files.readString(dir.resolve("qc.csv")).replaceFirst("id,pos,neg,label", "id,pos,neutral,label"));
        assertBadInput(
                "mismatched classes",
                "weights",
                "--task",
                "classification",
                "--uni",
                p("uc.csv"),
                "--multi",
                p("qc-classes.csv"));
        assertBadInput(
                "no such file",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("missing.csv"),
                "--multi",
                p("q.csv"),
                "--labels",
                p("y.csv"));
        Files.writeString(
                dir.resolve("q-col.csv"),
                Files.readString(dir.resolve("q.csv")).replaceFirst("id,prediction", "id,pred"));
        assertBadInput(
                "no 'prediction' column",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u.csv"),
                "--multi",
                p("q-col.csv"),
                "--labels",
                p("y.csv"));
        assertBadInput("needs --labels", "weights", "--task", "regression", "--uni", p("u.csv"), "--multi", p("q.csv"));
        assertBadInput(
                "unknown combination rule 'kl+mi'",
                "weights",
                "--task",
                "regression",
                "--uni",
                p("u.csv"),
                "--multi",
                p("q.csv"),
                "--labels",
                p("y.csv"),
                "--rule",
                "kl+mi");
        assertBadInput(
                "unknown task 'ranking'", "weights", "--task", "ranking", "--uni", p("u.csv"), "--multi", p("q.csv"));
    }

    @Test
    void failureLeavesAnExistingOutputUntouched() throws IOException {
        Path out = dir.resolve("keep.csv");
        Files.writeString(out, "previous content\n");
        assertEquals(
                2,
                run(
                        "weights",
                        "--task",
                        "regression",
                        "--uni",
                        p("u.csv"),
                        "--multi",
                        p("missing.csv"),
                        "--labels",
                        p("y.csv"),
                        "--out",
                        out.toString()));
        assertEquals("previous content\n", Files.readString(out));
    }

    @Test
    void helpAndMissingOptions() {
        assertEquals(0, run("weights", "--help"));
        assertTrue(lastOut.contains("--sigmas"), lastOut);
        assertEquals(2, run("weights", "--task", "regression"));
        assertTrue(lastErr.contains("missing required option --uni"), lastErr);
    }
}

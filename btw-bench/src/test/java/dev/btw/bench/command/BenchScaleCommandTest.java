package dev.btw.bench.command;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code btw bench scale} on a small n in process (the figures' presence and counts, not their values), and
 * {@code btw encode} refusing a matrix with a NaN with exit status 2.
 */
class BenchScaleCommandTest {

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

    @Test
    void printsOneLinePerN() throws IOException {
        Path work = dir.resolve("work");
        assertEquals(
                0,
                run(
                        "bench",
                        "scale",
                        "--in-process",
                        "--n",
                        "300",
                        "--dims",
                        "8,4",
                        "--steps",
                        "3",
                        "--work",
                        work.toString()),
                lastErr);
        String[] lines = lastOut.strip().split("\n");
        assertEquals(1, lines.length, lastOut);
        JsonNode j = new ObjectMapper().readTree(lines[0]);
        assertEquals(300, j.get("n").asInt());
        assertEquals(300 * 12 * 4 / 1048576.0, j.get("feature_mb").asDouble(), 0.06);
        assertEquals(96, j.get("train_instances").asInt()); // 3 steps of 32
        assertEquals(60, j.get("eval_instances").asInt()); // val + test
        assertEquals(240, j.get("refresh_instances").asInt());
        assertTrue(j.get("peak_rss_mb").asDouble() > 0);
        assertTrue(j.get("train_instances_per_s").asDouble() > 0);
        assertTrue(j.has("rss_goal_met") && j.has("encode_s") && j.has("refresh_s") && j.has("eval_s"));
        assertFalse(Files.exists(work.resolve("n300")), "the generated data are deleted");

        assertEquals(2, run("bench", "scale", "--n", "50"));
        assertTrue(lastErr.contains("--n needs integers of at least 100"), lastErr);
        assertEquals(2, run("bench", "scale", "--phase", "train", "--n", "100"));
        assertTrue(lastErr.contains("--in-process"), lastErr);
    }

    @Test
    void encodeRefusesANonFiniteMatrixRow() throws IOException {
        Path work = dir.resolve("data");
        assertEquals(
                0,
                run(
                        "bench",
                        "scale",
                        "--in-process",
                        "--phase",
                        "encode",
                        "--n",
                        "100",
                        "--dims",
                        "4",
                        "--work",
                        work.toString()),
                lastErr);
        Path data = work.resolve("n100");
        Path matrix = data.resolve("m0.npy");
        byte[] bytes = Files.readAllBytes(matrix);
        int header = bytes.length - 100 * 4 * 4;
        int at = header + (42 * 4 + 3) * 4; // row 42, column 3: a float32 NaN (0x7fc00000, little-endian)
        bytes[at] = 0;
        bytes[at + 1] = 0;
        bytes[at + 2] = (byte) 0xc0;
        bytes[at + 3] = 0x7f;
        Files.write(matrix, bytes);
        assertEquals(2, run("encode", "--config", data.resolve("config.yaml").toString()));
        assertTrue(lastErr.contains("row 42 (id i42): column 3 is NaN"), lastErr);
    }
}

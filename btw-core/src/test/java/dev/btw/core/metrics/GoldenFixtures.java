package dev.btw.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the golden fixtures written by scripts/golden/make_golden.py (test resources under golden/). */
final class GoldenFixtures {

    /** Tolerance for every comparison against the Python references. */
    static final double TOLERANCE = 1e-9;

    private GoldenFixtures() {}

    /** The "cases" array of a fixture file, as a list; fails when the file is missing or has no cases. */
    static List<JsonNode> cases(String file) {
        try (InputStream in = GoldenFixtures.class.getResourceAsStream("/golden/" + file)) {
            assertNotNull(in, "missing test resource golden/" + file + " (run scripts/golden/make_golden.py)");
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            root.get("cases").forEach(out::add);
            assertTrue(out.size() > 0, file + " has no cases");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    static double[][] matrix(JsonNode array) {
        double[][] out = new double[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(array.get(i));
        }
        return out;
    }

    static int[][] intMatrix(JsonNode array) {
        int[][] out = new int[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints(array.get(i));
        }
        return out;
    }

    /** Asserts that {@code actual} equals the fixture's {@code key} within {@link #TOLERANCE}. */
    static void assertClose(JsonNode c, String key, double actual) {
        JsonNode expected = c.get(key);
        assertNotNull(expected, c.get("name").asText() + ": fixture has no '" + key + "'");
        assertEquals(expected.doubleValue(), actual, TOLERANCE, c.get("name").asText() + ": " + key);
    }
}

package dev.btw.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Golden values from {@code scipy.stats.spearmanr} and {@code rankdata}, scipy 1.10.1. */
class SpearmanCorrelationTest {

    @Test
    void matchesScipyWithTies() {
        assertEquals(
                0.9276336570439174,
                SpearmanCorrelation.of(
                        new double[] {0.3, 0.5, 0.2, 0.9, 0.5, 0.1}, new double[] {1.0, 3.0, 2.0, 5.0, 3.5, 0.0}),
                1e-12);
        assertEquals(-1.0, SpearmanCorrelation.of(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        assertEquals(0.0, SpearmanCorrelation.of(new double[] {0.2, 0.2, 0.6}, new double[] {0.1, 0.5, 0.4}), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(
                new double[] {2.0, 4.5, 1.0, 6.0, 4.5, 3.0},
                SpearmanCorrelation.ranks(new double[] {0.3, 0.5, 0.2, 0.9, 0.5, 0.4}),
                0.0);
    }

    @Test
    void undefinedForAConstantSeriesOrOneValue() {
        assertTrue(Double.isNaN(SpearmanCorrelation.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN(SpearmanCorrelation.of(new double[] {1}, new double[] {2})));
    }
}

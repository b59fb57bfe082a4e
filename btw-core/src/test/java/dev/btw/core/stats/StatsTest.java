package dev.btw.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Golden values from scipy 1.10 (scripts/stats/golden_tests.py). */
class StatsTest {

    @Test
    void studentTCdfMatchesScipy() {
        double[][] golden = {
            {0.0, 1, 0.5},
            {1.0, 1, 0.7500000000000002},
            {-2.5, 3, 0.04385332350403277},
            {2.0, 4, 0.9419417382415922},
            {0.3, 10, 0.6148396962171008},
            {-4.0, 2, 0.028595479208968315},
            {12.0, 4, 0.9998617857257486},
            {1.96, 1000, 0.9748634075221256},
            {-0.7, 2.5, 0.2717024715947741},
        };
        for (double[] g : golden) {
            assertEquals(g[2], StudentT.cdf(g[0], g[1]), 1e-12, "t=" + g[0] + " df=" + g[1]);
        }
    }

    @Test
    void pairedTTestMatchesScipyTtestRel() {
        PairedTTest a = PairedTTest.of(
                new double[] {52.1, 50.3, 51.7, 53.0, 49.8}, new double[] {53.0, 51.1, 51.2, 54.4, 50.9});
        assertEquals(-2.2664863997772504, a.t(), 1e-10);
        assertEquals(0.086061079496457, a.p(), 1e-10);
        PairedTTest b = PairedTTest.of(
                new double[] {0.71, 0.66, 0.74, 0.69, 0.70}, new double[] {0.69, 0.67, 0.70, 0.65, 0.66});
        assertEquals(2.653613888015109, b.t(), 1e-9);
        assertEquals(0.05676723381232178, b.p(), 1e-9);
        PairedTTest c = PairedTTest.of(new double[] {1.0, 2.0}, new double[] {0.5, 2.2});
        assertEquals(0.4285714285714282, c.t(), 1e-12);
        assertEquals(0.742237883181687, c.p(), 1e-12);
    }

    @Test
    void pairedTTestDegenerateCases() {
        assertTrue(
                Double.isNaN(PairedTTest.of(new double[] {1}, new double[] {0}).p()));
        assertTrue(Double.isNaN(
                PairedTTest.of(new double[] {1, 2}, new double[] {1, 2}).p()));
        PairedTTest constant = PairedTTest.of(new double[] {2, 3}, new double[] {1, 2});
        assertEquals(0.0, constant.p());
        assertEquals(1.0, constant.meanDifference());
    }

    @Test
    void signTestMatchesScipyBinomtest() {
        int[][] wl = {{5, 0}, {4, 1}, {3, 2}, {9, 1}, {0, 6}, {7, 3}};
        double[] p = {0.0625, 0.375, 1.0, 0.021484375, 0.03125, 0.34375};
        for (int k = 0; k < wl.length; k++) {
            double[] a = new double[wl[k][0] + wl[k][1] + 1];
            double[] b = new double[a.length];
            for (int i = 0; i < wl[k][0]; i++) {
                a[i] = 1;
            }
            for (int i = wl[k][0]; i < wl[k][0] + wl[k][1]; i++) {
                b[i] = 1;
            }
            SignTest s = SignTest.of(a, b);
            assertEquals(wl[k][0], s.wins());
            assertEquals(wl[k][1], s.losses());
            assertEquals(1, s.ties());
            assertEquals(p[k], s.p(), 1e-12, "wins " + wl[k][0] + " losses " + wl[k][1]);
        }
        assertEquals(1.0, SignTest.of(new double[] {1}, new double[] {1}).p());
    }
}

package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.divergence.SigmaPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BtwRefreshTest {

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
        }
        return ids;
    }

    private static Map<String, double[]> uni(Object... nameThenValues) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValues.length; i += 2) {
            m.put((String) nameThenValues[i], (double[]) nameThenValues[i + 1]);
        }
        return m;
    }

    @Test
    void handCheckedRegressionKlRule() {
        // y = 0, q = 1 (s_q = 1); a: p = 0, s_p = 0 floored to 0.5: D = ln 2 + (0.25 + 1) / 2 - 0.5 = ln 2 + 0.125;
        // b: p = 2, s_p = 2: D = ln(1/2) + (4 + 1) / 2 - 0.5 = 2 - ln 2. Sum 2.125.
        BtwRefresh r = BtwRefresh.builder()
                .optRule(CombinationRule.KL)
                .optSigmaFloor(0.5)
                .build();
        RefreshResult res = r.regression(
                List.of("x"), uni("a", new double[] {0}, "b", new double[] {2}), new double[] {1}, new double[] {0});
        double ka = (Math.log(2) + 0.125) / 2.125;
        assertEquals(ka, res.divergenceShares("a")[0], 1e-15);
        assertEquals(1 - ka, res.divergenceShares("b")[0], 1e-15);
        assertEquals(ka, res.targets().weightOf("x", "a"), 1e-15);
        assertEquals(1 - ka, res.targets().weightOf("x", "b"), 1e-15);
        assertEquals(
                "RefreshResult[kl, 1 instance, shares {a=0.500, b=0.500}, mean target {a=0.385, b=0.615}]",
                res.toString());
    }

    @Test
    void handCheckedCombinationWithGivenShares() {
        double ka = (Math.log(2) + 0.125) / 2.125;
        double kb = 1 - ka;
        Map<String, Double> shares = Map.of("a", 3.0, "b", 1.0); // normalised to 0.75 / 0.25
        for (CombinationRule rule : CombinationRule.values()) {
            BtwRefresh r = BtwRefresh.builder()
                    .optRule(rule)
                    .optSigmaFloor(0.5)
                    .optFixedShares(shares)
                    .build();
            RefreshResult res = r.regression(
                    List.of("x"), uni("a", new double[] {0}, "b", new double[] {2}), new double[] {1}, new double[] {0
                    });
            double fa;
            double fb;
            switch (rule) {
                case KL_MI, KL_CC -> {
                    fa = ka * 0.75;
                    fb = kb * 0.25;
                }
                case EXP_NEG_KL_MI -> {
                    fa = Math.exp(-ka) * 0.75;
                    fb = Math.exp(-kb) * 0.25;
                }
                case KL -> {
                    fa = ka;
                    fb = kb;
                }
                case MI, CC -> {
                    fa = 0.75;
                    fb = 0.25;
                }
                default -> {
                    fa = 1;
                    fb = 1;
                }
            }
            assertEquals(fa / (fa + fb), res.targets().weightOf("x", "a"), 1e-15, rule.toString());
            assertEquals(fb / (fa + fb), res.targets().weightOf("x", "b"), 1e-15, rule.toString());
            assertEquals(0.75, res.shares().get("a"), 1e-15);
        }
    }

    @Test
    void meanOneScaleMakesRowsAverageOne() {
        BtwRefresh r = BtwRefresh.builder()
                .optRule(CombinationRule.KL)
                .optSigmaFloor(0.5)
                .optScale(WeightScale.MEAN_ONE)
                .build();
        RefreshResult res = r.regression(
                List.of("x"), uni("a", new double[] {0}, "b", new double[] {2}), new double[] {1}, new double[] {0});
        assertEquals(2.0, res.targets().weightOf("x", "a") + res.targets().weightOf("x", "b"), 1e-15);
    }

    @Test
    void zeroResidualAllEqualPredictionsAndConstantModalityStayFinite() {
        int n = 40;
        double[] y = new double[n];
        double[] q = new double[n];
        double[] exact = new double[n];
        double[] constant = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 7;
            q[i] = y[i] + 0.1 * ((i * 37) % 11 - 5);
            exact[i] = y[i]; // zero residual
            constant[i] = 2.0;
        }
        RefreshResult res = BtwRefresh.builder()
                .build()
                .regression(ids(n), uni("exact", exact, "constant", constant, "copy", q.clone()), q, y);
        for (String m : res.modalities()) {
            for (double w : res.targets().column(m)) {
                assertTrue(w > 0 && w < 1, m + " weight " + w);
            }
        }
        assertTrue(res.shares().get("constant") < res.shares().get("exact"));
        // All predictions equal to the fused one and to each other: every divergence floors, shares equalise.
        double[] same = new double[n];
        Arrays.fill(same, 1.5);
        RefreshResult eq = BtwRefresh.builder()
                .build()
                .regression(ids(n), uni("a", same.clone(), "b", same.clone()), same.clone(), y);
        for (int i = 0; i < n; i++) {
            assertEquals(0.5, eq.targets().column("a")[i], 1e-12);
        }
    }

    @Test
    void oneModalityGivesOnes() {
        RefreshResult res = BtwRefresh.builder()
                .build()
                .regression(
                        ids(2), uni("only", new double[] {1, Double.NaN}), new double[] {1, 2}, new double[] {1, 2});
        assertEquals(1.0, res.targets().weightOf("i0", "only"), 0.0);
        assertEquals(0.0, res.targets().weightOf("i1", "only"), 0.0);
        assertEquals(1.0, res.shares().get("only"), 0.0);
    }

    @Test
    void missingModalityGetsZeroAndOthersRenormalise() {
        int n = 30;
        Random r = new Random(1);
        double[] y = new double[n];
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            a[i] = y[i] + 0.1 * r.nextGaussian();
            b[i] = y[i] + r.nextGaussian();
            c[i] = i % 3 == 0 ? Double.NaN : y[i] + 0.5 * r.nextGaussian();
            q[i] = y[i] + 0.2 * r.nextGaussian();
        }
        RefreshResult res = BtwRefresh.builder().build().regression(ids(n), uni("a", a, "b", b, "c", c), q, y);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (String m : List.of("a", "b", "c")) {
                sum += res.targets().column(m)[i];
            }
            assertEquals(1.0, sum, 1e-12);
            if (i % 3 == 0) {
                assertEquals(0.0, res.targets().column("c")[i], 0.0);
                assertEquals(0.0, res.divergenceShares("c")[i], 0.0);
            } else {
                assertTrue(res.targets().column("c")[i] > 0);
            }
        }
    }

    @Test
    void nanInputIsAClearError() {
        BtwRefresh r = BtwRefresh.builder().build();
        BtwException q = assertThrows(
                BtwException.class,
                () -> r.regression(
                        ids(5),
                        uni("a", new double[5], "b", new double[5]),
                        new double[] {1, 2, Double.NaN, 4, 5},
                        new double[5]));
        assertTrue(q.getMessage().contains("fused prediction of instance 'i2'"), q.getMessage());
        BtwException y = assertThrows(
                BtwException.class,
                () -> r.regression(ids(5), uni("a", new double[5], "b", new double[5]), new double[5], new double[] {
                    1, Double.NaN, 3, 4, 5
                }));
        assertTrue(y.getMessage().contains("label of instance 'i1'"), y.getMessage());
        assertThrows(
                BtwException.class,
                () -> r.regression(ids(5), uni("a", new double[5], "b", new double[5]), new double[5], null));
    }

    @Test
    void fewerInstancesThanNeighboursIsAClearError() {
        BtwRefresh r = BtwRefresh.builder().build();
        BtwException e = assertThrows(
                BtwException.class,
                () -> r.regression(
                        ids(3),
                        uni("a", new double[] {1, 2, 3}, "b", new double[] {3, 1, 2}),
                        new double[] {1, 2, 3},
                        new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("modality 'a'") && e.getMessage().contains("k + 1 = 4"), e.getMessage());
    }

    @Test
    void globalSigmaPolicyUsesGivenSigmasWithoutLabels() {
        GlobalSigmas sigmas = new GlobalSigmas(Map.of("a", 1.0, "b", 2.0), 1.0);
        BtwRefresh r = BtwRefresh.builder()
                .optRule(CombinationRule.KL)
                .optSigmaPolicy(SigmaPolicy.GLOBAL)
                .optGlobalSigmas(sigmas)
                .build();
        RefreshResult res =
                r.regression(List.of("x"), uni("a", new double[] {1}, "b", new double[] {3}), new double[] {2}, null);
        // a: ln 1 + (1 + 1)/2 - 0.5 = 0.5 ; b: ln(1/2) + (4 + 1)/2 - 0.5 = 2 - ln 2.
        double da = 0.5;
        double db = 2 - Math.log(2);
        assertEquals(da / (da + db), res.targets().weightOf("x", "a"), 1e-15);
        assertThrows(
                BtwException.class,
                () -> BtwRefresh.builder()
                        .optSigmaPolicy(SigmaPolicy.GLOBAL)
                        .build()
                        .regression(
                                List.of("x"),
                                uni("a", new double[] {1}, "b", new double[] {3}),
                                new double[] {2},
                                null));
    }

    @Test
    void classificationHandCheckedAndEdgeCases() {
        double[][] q = {{0.5, 0.5}, {0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}};
        double[][] a = {{0.25, 0.75}, {1.0, 0.0}, {0.1, 0.9}, {0.7, 0.3}, {0.4, 0.6}};
        double[][] b = {{0.5, 0.5}, null, {0.5, 0.5}, {0.2, 0.8}, {0.9, 0.1}};
        Map<String, double[][]> u = new LinkedHashMap<>();
        u.put("a", a);
        u.put("b", b);
        RefreshResult res =
                BtwRefresh.builder().optRule(CombinationRule.KL).build().classification(ids(5), u, q);
        // Instance 0: D_a = KL((.25,.75)||(.5,.5)) = .25 ln .5 + .75 ln 1.5; D_b = 0 -> 1e-5.
        double da = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
        assertEquals(da / (da + 1e-5), res.targets().weightOf("i0", "a"), 1e-12);
        assertEquals(1.0, res.targets().weightOf("i1", "a"), 0.0);
        assertEquals(0.0, res.targets().weightOf("i1", "b"), 0.0);
        RefreshResult mi = BtwRefresh.builder().build().classification(ids(5), u, q);
        double total =
                mi.shares().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, total, 1e-12);
        double[][] bad = {{0.5, 0.5, 0.0}, null, null, null, null};
        Map<String, double[][]> mismatch = new LinkedHashMap<>();
        mismatch.put("a", a);
        mismatch.put("b", bad);
        BtwException e = assertThrows(
                BtwException.class, () -> BtwRefresh.builder().build().classification(ids(5), mismatch, q));
        assertTrue(e.getMessage().contains("modality 'b'"), e.getMessage());
        // a {NaN} row (how the training code aligns a reference that lacks the instance) means missing, like null
        Map<String, double[][]> nanRow = new LinkedHashMap<>();
        nanRow.put("a", a);
        nanRow.put("b", new double[][] {b[0], {Double.NaN}, b[2], b[3], b[4]});
        RefreshResult same =
                BtwRefresh.builder().optRule(CombinationRule.KL).build().classification(ids(5), nanRow, q);
        assertEquals(res.targets().weightOf("i0", "a"), same.targets().weightOf("i0", "a"), 0.0);
        assertEquals(0.0, same.targets().weightOf("i1", "b"), 0.0);
    }

    /**
     * docs/METHOD.md, "An observed fact": 100 000 instances, y ~ N(0, 1), unimodal noise sd 0.2 / 1.6 / 3.0, the
     * fused prediction y + N(0, 0.3^2); one reference-style refresh (kl*mi, residual sigmas, EMA s = 0.5 from
     * W = 1) gives MI shares about 0.85 / 0.12 / 0.04 and mean weights about 0.61 / 0.68 / 0.70.
     */
    @Test
    void observedFactOnSyntheticData() {
        int n = 100_000;
        Random r = new Random(2025);
        double[] y = new double[n];
        double[] q = new double[n];
        double[][] p = new double[3][n];
        double[] noise = {0.2, 1.6, 3.0};
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            for (int m = 0; m < 3; m++) {
                p[m][i] = y[i] + noise[m] * r.nextGaussian();
            }
            q[i] = y[i] + 0.3 * r.nextGaussian();
        }
        RefreshResult res =
                BtwRefresh.builder().build().regression(ids(n), uni("low", p[0], "mid", p[1], "high", p[2]), q, y);
        assertEquals(0.85, res.shares().get("low"), 0.02);
        assertEquals(0.12, res.shares().get("mid"), 0.02);
        assertEquals(0.04, res.shares().get("high"), 0.015);
        ModalityWeights w = new EmaSmoother().smooth(res.targets());
        assertEquals(0.61, w.mean("low"), 0.02);
        assertEquals(0.68, w.mean("mid"), 0.02);
        assertEquals(0.70, w.mean("high"), 0.02);
    }
}

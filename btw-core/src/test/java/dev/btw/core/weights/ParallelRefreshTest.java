package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The modality shares on several threads: the same result, to the last bit, as on one. */
class ParallelRefreshTest {

    private static final int N = 3000;

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
        }
        return ids;
    }

    /** Six modalities of growing noise; "gappy" misses every seventh instance (its own fused side). */
    private static Map<String, double[]> modalities(double[] y, Random r) {
        Map<String, double[]> uni = new LinkedHashMap<>();
        for (int m = 0; m < 5; m++) {
            double[] p = new double[N];
            for (int i = 0; i < N; i++) {
                p[i] = y[i] + (0.2 + 0.6 * m) * r.nextGaussian();
            }
            uni.put("m" + m, p);
        }
        double[] gappy = new double[N];
        for (int i = 0; i < N; i++) {
            gappy[i] = i % 7 == 0 ? Double.NaN : y[i] + 0.5 * r.nextGaussian();
        }
        uni.put("gappy", gappy);
        return uni;
    }

    @Test
    void sharesAndTargetsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(7);
        double[] y = new double[N];
        double[] q = new double[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextGaussian();
            q[i] = y[i] + 0.3 * r.nextGaussian();
        }
        Map<String, double[]> uni = modalities(y, r);
        List<String> ids = ids(N);
        RefreshResult one = BtwRefresh.builder().build().regression(ids, uni, q, y);
        assertEquals(1, BtwRefresh.builder().build().threads());
        double previous = Double.POSITIVE_INFINITY;
        for (int m = 0; m < 5; m++) {
            double mi = one.rawDependence().get("m" + m);
            assertTrue(mi > 0 && mi < previous, "MI falls with the noise: " + one.rawDependence());
            previous = mi;
        }
        for (int threads : new int[] {2, 3, 8}) {
            RefreshResult many =
                    BtwRefresh.builder().optThreads(threads).build().regression(ids, uni, q, y);
            assertEquals(one.modalities(), many.modalities());
            for (String name : one.modalities()) {
                assertEquals(
                        Double.doubleToRawLongBits(one.rawDependence().get(name)),
                        Double.doubleToRawLongBits(many.rawDependence().get(name)),
                        name + " on " + threads);
                assertEquals(one.shares().get(name), many.shares().get(name));
                assertArrayEquals(one.targets().column(name), many.targets().column(name), 0.0);
            }
        }
    }

    @Test
    void theFirstFailingModalityIsReportedWhateverTheThreads() {
        // Three instances, fewer than k + 1: every modality fails; the report names the first, as sequentially.
        Map<String, double[]> uni = new LinkedHashMap<>();
        uni.put("a", new double[] {1, 2, 3});
        uni.put("b", new double[] {3, 1, 2});
        uni.put("c", new double[] {2, 3, Double.NaN});
        for (int threads : new int[] {1, 3}) {
            BtwRefresh refresh = BtwRefresh.builder().optThreads(threads).build();
            BtwException e = assertThrows(
                    BtwException.class,
                    () -> refresh.regression(ids(3), uni, new double[] {1, 2, 3}, new double[] {1, 2, 3}));
            assertTrue(
                    e.getMessage().startsWith("modality 'a'") && e.getMessage().contains("k + 1 = 4"), e.getMessage());
        }
        assertThrows(BtwException.class, () -> BtwRefresh.builder().optThreads(0));
    }
}

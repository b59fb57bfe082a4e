package dev.btw.core.mi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sort-based neighbour search and marginal counts against brute force, including ties. */
class NeighbourSearchTest {

    @Test
    void handWorkedKthDistances() {
        // Points (0,0), (1,0), (0,2), (5,5); k = 1: nearest-other max-norm distances 1, 1, 2, 5.
        double[] xs = {0, 0, 1, 5};
        double[] ys = {0, 2, 0, 5};
        assertArrayEquals(new double[] {1, 2, 1, 5}, kth(xs, ys, 1), 0.0);
        // k = 2: (0,0) -> 2, (0,2) -> 2, (1,0) -> 2, (5,5) -> 5.
        assertArrayEquals(new double[] {2, 2, 2, 5}, kth(xs, ys, 2), 0.0);
    }

    @Test
    void matchesBruteForceOnRandomData() {
        Random r = new Random(7);
        for (int trial = 0; trial < 30; trial++) {
            int n = 5 + r.nextInt(trial < 20 ? 200 : 3000);
            int k = 1 + r.nextInt(6);
            boolean ties = trial % 3 == 0;
            double rho = r.nextDouble();
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextGaussian();
                y[i] = rho * x[i] + Math.sqrt(1 - rho * rho) * r.nextGaussian() * (trial % 2 == 0 ? 1 : 0.01);
                if (ties) {
                    x[i] = Math.round(x[i] * 3) / 3.0;
                    y[i] = Math.round(y[i] * 2) / 2.0;
                }
            }
            int[] ox = ArgSort.of(x);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = x[ox[i]];
                ys[i] = y[ox[i]];
            }
            double[] fast = kth(xs, ys, k);
            double[] slow = bruteKth(xs, ys, k);
            assertArrayEquals(slow, fast, 0.0, "trial " + trial);
            double[] sortedY = ys.clone();
            Arrays.sort(sortedY);
            MarginalCounts xCounts = new MarginalCounts(xs);
            MarginalCounts yCounts = new MarginalCounts(sortedY);
            for (int i = 0; i < n; i++) {
                double radius = fast[i] > 0 ? Math.nextDown(fast[i]) : 0;
                int expectedX = bruteCount(xs, xs[i], radius) - 1;
                assertEquals(expectedX, MarginalCounts.within(xs, i, radius));
                assertEquals(expectedX, xCounts.within(i, radius));
                int rank = Arrays.binarySearch(sortedY, ys[i]);
                int expectedY = bruteCount(ys, ys[i], radius) - 1;
                assertEquals(expectedY, MarginalCounts.within(sortedY, rank, radius));
                assertEquals(expectedY, yCounts.within(rank, radius));
                double wide = radius * 50 + 1e-3;
                assertEquals(bruteCount(xs, xs[i], wide) - 1, xCounts.within(i, wide));
            }
        }
    }

    @Test
    void clusteredAndConstantSamplesMatchBruteForce() {
        Random r = new Random(9);
        for (int trial = 0; trial < 12; trial++) {
            int n = 300 + r.nextInt(1200);
            int k = 1 + r.nextInt(5);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double a = r.nextGaussian();
                double b = a + 0.5 * r.nextGaussian();
                // Clusters separated by jitter only: discrete x, discrete y, both, or a constant x.
                x[i] = (trial % 4 == 3 ? 2.0 : trial % 2 == 0 ? Math.round(b) : b) + 1e-10 * r.nextGaussian();
                y[i] = (trial % 4 == 1 || trial % 4 == 2 ? Math.round(a * 2) / 2.0 : a) + 1e-10 * r.nextGaussian();
            }
            int[] ox = ArgSort.of(x);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = x[ox[i]];
                ys[i] = y[ox[i]];
            }
            assertArrayEquals(bruteKth(xs, ys, k), kth(xs, ys, k), 0.0, "trial " + trial);
        }
    }

    @Test
    void countsOnConstantAndTinySamples() {
        double[] same = {2, 2, 2, 2};
        assertEquals(3, new MarginalCounts(same).within(1, 0.0));
        double[] two = {0, 1};
        assertEquals(0, new MarginalCounts(two).within(0, Math.nextDown(1.0)));
        assertEquals(1, new MarginalCounts(two).within(1, 1.0));
    }

    @Test
    void argSortSortsNegativeZeroAndDuplicates() {
        double[] v = {3, -1, 0.0, -0.0, 3, -7.5, 1e-300, -1e300};
        int[] o = ArgSort.of(v);
        for (int i = 1; i < o.length; i++) {
            assertEquals(true, v[o[i - 1]] <= v[o[i]], "position " + i);
        }
        assertEquals(0, o.length - Arrays.stream(o).distinct().count());
    }

    private static double[] kth(double[] xs, double[] ys, int k) {
        return ChebyshevNeighbours.kthDistances(xs, ys, ArgSort.of(ys), k);
    }

    private static double[] bruteKth(double[] xs, double[] ys, int k) {
        int n = xs.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] d = new double[n - 1];
            int j2 = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    d[j2++] = Math.max(Math.abs(xs[j] - xs[i]), Math.abs(ys[j] - ys[i]));
                }
            }
            Arrays.sort(d);
            out[i] = d[k - 1];
        }
        return out;
    }

    private static int bruteCount(double[] v, double c, double radius) {
        int count = 0;
        for (double a : v) {
            if (Math.abs(a - c) <= radius) {
                count++;
            }
        }
        return count;
    }
}

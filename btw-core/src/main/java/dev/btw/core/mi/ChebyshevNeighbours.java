package dev.btw.core.mi;

import java.util.Arrays;

/**
 * For every point of a two-dimensional sample, the max-norm (Chebyshev) distance to its k-th nearest other
 * point. Sort-based, in O(n log n): the points, in x order, are cut into strips of consecutive points, each strip
 * kept in y order. Queries run strip by strip in y order; each scans its own strip outwards from itself, then the
 * neighbouring strips (nearest in x first) while they can still hold a closer point. Because the queries of a
 * strip come in increasing y, the starting position in each neighbouring strip is found by a cursor that only
 * moves forward, not by a binary search.
 */
final class ChebyshevNeighbours {

    private ChebyshevNeighbours() {}

    /**
     * @param xs the x coordinates, sorted ascending
     * @param ys the y coordinates, in the same (x) order
     * @param yOrder the permutation sorting {@code ys} ascending
     * @param k the neighbour rank, 1 <= k < n
     * @return for each point (in x order) the distance to its k-th nearest other point
     */
    static double[] kthDistances(double[] xs, double[] ys, int[] yOrder, int k) {
        int n = xs.length;
        int width = stripWidth(n, k);
        int strips = (n + width - 1) / width;
        // Distribute the points, taken in y order, to their strips: each strip comes out sorted by y.
        double[] sy = new double[n];
        double[] sx = new double[n];
        int[] sid = new int[n];
        int[] fill = new int[strips];
        for (int b = 0; b < strips; b++) {
            fill[b] = b * width;
        }
        for (int r = 0; r < n; r++) {
            int i = yOrder[r];
            int slot = fill[i / width]++;
            sy[slot] = ys[i];
            sx[slot] = xs[i];
            sid[slot] = i;
        }
        double[] kth = new double[n];
        double[] best = new double[k];
        // Cursor into the strip d to the left / right of the current one; a stamp says for which strip it is valid.
        int[] leftCursor = new int[strips + 1];
        int[] rightCursor = new int[strips + 1];
        int[] leftStamp = new int[strips + 1];
        int[] rightStamp = new int[strips + 1];
        Arrays.fill(leftStamp, -1);
        Arrays.fill(rightStamp, -1);
        for (int b = 0; b < strips; b++) {
            int from = b * width;
            int to = Math.min(n, from + width);
            for (int s = from; s < to; s++) {
                Arrays.fill(best, Double.POSITIVE_INFINITY);
                double x = sx[s];
                double y = sy[s];
                scanUp(sy, sx, s + 1, to, x, y, best, k);
                scanDown(sy, sx, s - 1, from, x, y, best, k);
                int dl = 1;
                int dr = 1;
                while (true) {
                    int left = b - dl;
                    int right = b + dr;
                    double gapLeft = left >= 0 ? x - xs[left * width + width - 1] : Double.POSITIVE_INFINITY;
                    double gapRight = right < strips ? xs[right * width] - x : Double.POSITIVE_INFINITY;
                    double bound = best[k - 1];
                    boolean goLeft = gapLeft < bound;
                    boolean goRight = gapRight < bound;
                    if (!goLeft && !goRight) {
                        break;
                    }
                    int bFrom;
                    int bTo;
                    int c;
                    if (goLeft && (!goRight || gapLeft <= gapRight)) {
                        bFrom = left * width;
                        bTo = bFrom + width;
                        if (leftStamp[dl] != b) {
                            leftStamp[dl] = b;
                            leftCursor[dl] = bFrom;
                        }
                        c = advance(sy, leftCursor[dl], bTo, y);
                        leftCursor[dl] = c;
                        dl++;
                    } else {
                        bFrom = right * width;
                        bTo = Math.min(n, bFrom + width);
                        if (rightStamp[dr] != b) {
                            rightStamp[dr] = b;
                            rightCursor[dr] = bFrom;
                        }
                        c = advance(sy, rightCursor[dr], bTo, y);
                        rightCursor[dr] = c;
                        dr++;
                    }
                    scanUp(sy, sx, c, bTo, x, y, best, k);
                    scanDown(sy, sx, c - 1, bFrom, x, y, best, k);
                }
                kth[sid[s]] = best[k - 1];
            }
        }
        return kth;
    }

    /** Strip width balancing strips visited against points scanned per strip (tuned on Gaussian-like data). */
    static int stripWidth(int n, int k) {
        int w = (int) Math.round(Math.sqrt((double) n * (k + 1)) * 0.5);
        return Math.max(w, k + 1);
    }

    /**
     * The first index from {@code c} on (at most {@code to}) whose y is not below {@code y}, by galloping: O(1)
     * for the usual short moves, O(log gap) for a strip seldom visited.
     */
    private static int advance(double[] sy, int c, int to, double y) {
        if (c >= to || sy[c] >= y) {
            return c;
        }
        // sy[c] < y: find a bound above.
        int lo = c;
        int step = 1;
        int hi = c + 1;
        while (hi < to && sy[hi] < y) {
            lo = hi;
            step <<= 1;
            hi = c + step;
        }
        if (hi > to) {
            hi = to;
        }
        // sy[lo] < y, and hi == to or sy[hi] >= y: the answer is in (lo, hi].
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (sy[mid] < y) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    private static void scanUp(double[] sy, double[] sx, int from, int to, double x, double y, double[] best,
            int k) {
        for (int q = from; q < to; q++) {
            double dy = sy[q] - y;
            if (dy >= best[k - 1]) {
                return;
            }
            double dx = Math.abs(sx[q] - x);
            insert(best, dx > dy ? dx : dy, k);
        }
    }

    private static void scanDown(double[] sy, double[] sx, int from, int to, double x, double y, double[] best,
            int k) {
        for (int q = from; q >= to; q--) {
            double dy = y - sy[q];
            if (dy >= best[k - 1]) {
                return;
            }
            double dx = Math.abs(sx[q] - x);
            insert(best, dx > dy ? dx : dy, k);
        }
    }

    /** Keeps the k smallest distances seen, ascending. */
    private static void insert(double[] best, double d, int k) {
        double t = d;
        for (int j = 0; j < k; j++) {
            double b = best[j];
            best[j] = b < t ? b : t;
            t = b < t ? t : b;
        }
    }
}

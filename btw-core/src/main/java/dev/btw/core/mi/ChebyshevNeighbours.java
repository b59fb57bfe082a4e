package dev.btw.core.mi;

import java.util.Arrays;

/**
 * For every point of a two-dimensional sample, the max-norm (Chebyshev) distance to its k-th nearest other
 * point. Sort-based, in O(n log n): the points, in x order, are cut into strips of consecutive points, each strip
 * kept in y order. Queries run strip by strip in y order; each scans its own strip outwards from itself, then the
 * neighbouring strips (nearest in x first) while they can still hold a closer point. The starting position of
 * a point's y in the two adjacent strips is precomputed by merging each pair of adjacent strips (O(n) in all);
 * farther strips, seldom visited, are entered by binary search.
 *
 * <p>For k up to 4 the k smallest distances live in four local variables updated by a min/max network
 * ({@code Math.min}/{@code Math.max} compile to branch-free instructions; a ternary on doubles does not), with
 * 4 - k slots pre-filled with minus infinity so that the fourth is always the k-th. Larger k use an array.
 */
final class ChebyshevNeighbours {

    private final double[] xs;
    private final int n;
    private final int width;
    private final int strips;
    /** Strip-ordered y and x (slot = position), and the x rank of the point in each slot. */
    private final double[] sy;
    private final double[] sx;
    private final int[] sid;
    /** For each slot, the first slot of the strip to the left / right whose y is not below this slot's y. */
    private final int[] toLeft;
    private final int[] toRight;

    private ChebyshevNeighbours(double[] xs, double[] ys, int[] yOrder, int k) {
        this.xs = xs;
        this.n = xs.length;
        this.width = stripWidth(n, k);
        this.strips = (n + width - 1) / width;
        // Distribute the points, taken in y order, to their strips: each strip comes out sorted by y.
        sy = new double[n];
        sx = new double[n];
        sid = new int[n];
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
        toLeft = new int[n];
        toRight = new int[n];
        for (int b = 0; b + 1 < strips; b++) {
            int aFrom = b * width;
            int aTo = aFrom + width;
            int cTo = Math.min(n, aTo + width);
            mergePositions(aFrom, aTo, aTo, cTo, toRight);
            mergePositions(aTo, cTo, aFrom, aTo, toLeft);
        }
    }

    /** For each slot of [from, to), the first slot of [otherFrom, otherTo) whose y is not below it, into out. */
    private void mergePositions(int from, int to, int otherFrom, int otherTo, int[] out) {
        int j = otherFrom;
        for (int s = from; s < to; s++) {
            double y = sy[s];
            while (j < otherTo && sy[j] < y) {
                j++;
            }
            out[s] = j;
        }
    }

    /**
     * @param xs the x coordinates, sorted ascending
     * @param ys the y coordinates, in the same (x) order
     * @param yOrder the permutation sorting {@code ys} ascending
     * @param k the neighbour rank, 1 <= k < n
     * @return for each point (in x order) the distance to its k-th nearest other point
     */
    static double[] kthDistances(double[] xs, double[] ys, int[] yOrder, int k) {
        ChebyshevNeighbours s = new ChebyshevNeighbours(xs, ys, yOrder, k);
        return k <= 4 ? s.smallK(k) : s.anyK(k);
    }

    /** Strip width balancing strips visited against points scanned per strip (tuned on Gaussian-like data). */
    static int stripWidth(int n, int k) {
        int w = (int) Math.round(Math.sqrt((double) n * (k + 1)) * 0.5);
        return Math.max(w, k + 1);
    }

    private double[] smallK(int k) {
        double[] kth = new double[n];
        double[] sy = this.sy;
        double[] sx = this.sx;
        for (int b = 0; b < strips; b++) {
            int from = b * width;
            int to = Math.min(n, from + width);
            for (int s = from; s < to; s++) {
                double b0 = k < 4 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                double b1 = k < 3 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                double b2 = k < 2 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                double b3 = Double.POSITIVE_INFINITY;
                double x = sx[s];
                double y = sy[s];
                int dl = 1;
                int dr = 1;
                int lo = s - 1;
                int hi = s + 1;
                int bFrom = from;
                int bTo = to;
                while (true) {
                    // Scan [hi, bTo) upwards and [bFrom, lo] downwards in y while a closer point may remain.
                    for (int q = hi; q < bTo; q++) {
                        double dy = sy[q] - y;
                        if (dy >= b3) {
                            break;
                        }
                        double d = Math.max(Math.abs(sx[q] - x), dy);
                        // Insert d into b0 <= b1 <= b2 <= b3: each new value depends on two old ones only.
                        b3 = Math.min(b3, Math.max(b2, d));
                        b2 = Math.min(b2, Math.max(b1, d));
                        b1 = Math.min(b1, Math.max(b0, d));
                        b0 = Math.min(b0, d);
                    }
                    for (int q = lo; q >= bFrom; q--) {
                        double dy = y - sy[q];
                        if (dy >= b3) {
                            break;
                        }
                        double d = Math.max(Math.abs(sx[q] - x), dy);
                        // Insert d into b0 <= b1 <= b2 <= b3: each new value depends on two old ones only.
                        b3 = Math.min(b3, Math.max(b2, d));
                        b2 = Math.min(b2, Math.max(b1, d));
                        b1 = Math.min(b1, Math.max(b0, d));
                        b0 = Math.min(b0, d);
                    }
                    int next = nextStrip(b, dl, dr, x, b3);
                    if (next == 0) {
                        break;
                    }
                    int c;
                    if (next < 0) {
                        bFrom = (b - dl) * width;
                        bTo = bFrom + width;
                        c = dl == 1 ? toLeft[s] : lowerBound(sy, bFrom, bTo, y);
                        dl++;
                    } else {
                        bFrom = (b + dr) * width;
                        bTo = Math.min(n, bFrom + width);
                        c = dr == 1 ? toRight[s] : lowerBound(sy, bFrom, bTo, y);
                        dr++;
                    }
                    hi = c;
                    lo = c - 1;
                }
                kth[sid[s]] = b3;
            }
        }
        return kth;
    }

    private double[] anyK(int k) {
        double[] kth = new double[n];
        double[] best = new double[k];
        for (int b = 0; b < strips; b++) {
            int from = b * width;
            int to = Math.min(n, from + width);
            for (int s = from; s < to; s++) {
                Arrays.fill(best, Double.POSITIVE_INFINITY);
                double x = sx[s];
                double y = sy[s];
                int dl = 1;
                int dr = 1;
                int lo = s - 1;
                int hi = s + 1;
                int bFrom = from;
                int bTo = to;
                while (true) {
                    for (int q = hi; q < bTo; q++) {
                        double dy = sy[q] - y;
                        if (dy >= best[k - 1]) {
                            break;
                        }
                        insert(best, Math.max(Math.abs(sx[q] - x), dy), k);
                    }
                    for (int q = lo; q >= bFrom; q--) {
                        double dy = y - sy[q];
                        if (dy >= best[k - 1]) {
                            break;
                        }
                        insert(best, Math.max(Math.abs(sx[q] - x), dy), k);
                    }
                    int next = nextStrip(b, dl, dr, x, best[k - 1]);
                    if (next == 0) {
                        break;
                    }
                    int c;
                    if (next < 0) {
                        bFrom = (b - dl) * width;
                        bTo = bFrom + width;
                        c = dl == 1 ? toLeft[s] : lowerBound(sy, bFrom, bTo, y);
                        dl++;
                    } else {
                        bFrom = (b + dr) * width;
                        bTo = Math.min(n, bFrom + width);
                        c = dr == 1 ? toRight[s] : lowerBound(sy, bFrom, bTo, y);
                        dr++;
                    }
                    hi = c;
                    lo = c - 1;
                }
                kth[sid[s]] = best[k - 1];
            }
        }
        return kth;
    }

    /**
     * Which strip to scan next for a query at x in strip b, having scanned dl - 1 strips to the left and dr - 1 to
     * the right: -1 for the left one, +1 for the right one (the nearer in x first), 0 when neither can hold a
     * point closer than {@code bound}.
     */
    private int nextStrip(int b, int dl, int dr, double x, double bound) {
        int left = b - dl;
        int right = b + dr;
        double gapLeft = left >= 0 ? x - xs[left * width + width - 1] : Double.POSITIVE_INFINITY;
        double gapRight = right < strips ? xs[right * width] - x : Double.POSITIVE_INFINITY;
        boolean goLeft = gapLeft < bound;
        boolean goRight = gapRight < bound;
        if (!goLeft && !goRight) {
            return 0;
        }
        return goLeft && (!goRight || gapLeft <= gapRight) ? -1 : 1;
    }

    /** The first index in [from, to) whose value is not below v (the range is sorted); branch-free halving. */
    private static int lowerBound(double[] a, int from, int to, double v) {
        int base = from;
        int len = to - from;
        while (len > 1) {
            int half = len >>> 1;
            base = a[base + half - 1] < v ? base + half : base;
            len -= half;
        }
        return len == 1 && a[base] < v ? base + 1 : base;
    }

    /** Keeps the k smallest distances seen, ascending (branch-free min/max network). */
    private static void insert(double[] best, double d, int k) {
        double t = d;
        for (int j = 0; j < k; j++) {
            double b = best[j];
            best[j] = Math.min(b, t);
            t = Math.max(b, t);
        }
    }
}

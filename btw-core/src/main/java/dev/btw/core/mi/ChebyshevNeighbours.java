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
 * <p>A strip holds about sqrt(n (k + 1)) / 2 points, and is extended until it also spans a minimum width in x, so
 * that a tight cluster of x values (ties separated only by jitter, or a constant sample) is not cut into many
 * strips that would all lie within reach. If x is fine but y is clustered, scanning in y cannot prune; the search
 * then gives up once over a work budget and the caller swaps the axes.
 *
 * <p>For k up to 4 the k smallest distances live in four local variables updated by a min/max network
 * ({@code Math.min}/{@code Math.max} compile to branch-free instructions; a ternary on doubles does not), with
 * 4 - k slots pre-filled with minus infinity so that the fourth is always the k-th. Larger k use an array.
 */
final class ChebyshevNeighbours {

    /** Work units charged for entering a strip other than the query's own, against scanned points. */
    private static final int ENTRY_COST = 8;

    private final double[] xs;
    private final int n;
    private final int strips;
    /** start[b] is the first x rank (and slot) of strip b; start[strips] = n. */
    private final int[] start;
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
        this.start = strips(xs, stripWidth(n, k), minimumExtent(xs, ys, yOrder, k));
        this.strips = start.length - 1;
        int[] stripOf = new int[n];
        for (int b = 0; b < strips; b++) {
            Arrays.fill(stripOf, start[b], start[b + 1], b);
        }
        // Distribute the points, taken in y order, to their strips: each strip comes out sorted by y.
        sy = new double[n];
        sx = new double[n];
        sid = new int[n];
        int[] fill = Arrays.copyOf(start, strips);
        for (int r = 0; r < n; r++) {
            int i = yOrder[r];
            int slot = fill[stripOf[i]]++;
            sy[slot] = ys[i];
            sx[slot] = xs[i];
            sid[slot] = i;
        }
        toLeft = new int[n];
        toRight = new int[n];
        for (int b = 0; b + 1 < strips; b++) {
            mergePositions(start[b], start[b + 1], start[b + 1], start[b + 2], toRight);
            mergePositions(start[b + 1], start[b + 2], start[b], start[b + 1], toLeft);
        }
    }

    /** Strip boundaries: at least {@code width} points and at least {@code minExtent} wide in x (but the last). */
    private static int[] strips(double[] xs, int width, double minExtent) {
        int n = xs.length;
        int[] start = new int[n / width + 2];
        int count = 0;
        int s = 0;
        while (s < n) {
            start[count++] = s;
            int e = Math.min(n, s + width);
            while (e < n && xs[e - 1] - xs[s] < minExtent) {
                e++;
            }
            s = e;
        }
        start[count] = n;
        return Arrays.copyOf(start, count + 1);
    }

    /**
     * A tenth of the typical x extent of a strip on spread-out data, judged on the larger of the two coordinates'
     * spreads (distances mix both): ordinary strips are far wider, tight clusters of x far narrower.
     */
    private static double minimumExtent(double[] xs, double[] ys, int[] yOrder, int k) {
        int n = xs.length;
        int q1 = (n - 1) / 4;
        int q3 = (3 * (n - 1)) / 4;
        double spread = Math.max(xs[q3] - xs[q1], ys[yOrder[q3]] - ys[yOrder[q1]]);
        if (!(spread > 0)) {
            spread = Math.max(xs[n - 1] - xs[0], ys[yOrder[n - 1]] - ys[yOrder[0]]);
        }
        return 0.1 * spread * Math.sqrt((k + 1.0) / n);
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
     * @param k the neighbour rank, 1 &lt;= k &lt; n
     * @return for each point (in x order) the distance to its k-th nearest other point
     */
    static double[] kthDistances(double[] xs, double[] ys, int[] yOrder, int k) {
        return kthDistances(xs, ys, yOrder, k, Long.MAX_VALUE);
    }

    /**
     * As {@link #kthDistances(double[], double[], int[], int)}, but gives up (returns null) once the work (points
     * scanned, plus {@value #ENTRY_COST} per strip entered besides the query's own) exceeds {@code budget}: y is
     * then made of tight clusters that scanning in y cannot prune. The caller can retry with the axes swapped.
     *
     * @param budget the most work allowed
     * @return the distances, or null when over budget
     */
    static double[] kthDistances(double[] xs, double[] ys, int[] yOrder, int k, long budget) {
        ChebyshevNeighbours s = new ChebyshevNeighbours(xs, ys, yOrder, k);
        return k <= 4 ? s.smallK(k, budget) : s.anyK(k, budget);
    }

    /** Strip size balancing strips visited against points scanned per strip (tuned on Gaussian-like data). */
    static int stripWidth(int n, int k) {
        int w = (int) Math.round(Math.sqrt((double) n * (k + 1)) * 0.5);
        return Math.max(w, k + 1);
    }

    private double[] smallK(int k, long budget) {
        double[] kth = new double[n];
        double[] sy = this.sy;
        double[] sx = this.sx;
        long work = 0;
        for (int b = 0; b < strips; b++) {
            if (work > budget) {
                return null;
            }
            int from = start[b];
            int to = start[b + 1];
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
                    int q = hi;
                    for (; q < bTo; q++) {
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
                    work += q - hi;
                    q = lo;
                    for (; q >= bFrom; q--) {
                        double dy = y - sy[q];
                        if (dy >= b3) {
                            break;
                        }
                        double d = Math.max(Math.abs(sx[q] - x), dy);
                        b3 = Math.min(b3, Math.max(b2, d));
                        b2 = Math.min(b2, Math.max(b1, d));
                        b1 = Math.min(b1, Math.max(b0, d));
                        b0 = Math.min(b0, d);
                    }
                    work += lo - q;
                    int next = nextStrip(b, dl, dr, x, b3);
                    if (next == 0) {
                        break;
                    }
                    int c;
                    if (next < 0) {
                        bFrom = start[b - dl];
                        bTo = start[b - dl + 1];
                        c = dl == 1 ? toLeft[s] : lowerBound(sy, bFrom, bTo, y);
                        dl++;
                    } else {
                        bFrom = start[b + dr];
                        bTo = start[b + dr + 1];
                        c = dr == 1 ? toRight[s] : lowerBound(sy, bFrom, bTo, y);
                        dr++;
                    }
                    work += ENTRY_COST;
                    hi = c;
                    lo = c - 1;
                }
                kth[sid[s]] = b3;
            }
        }
        return kth;
    }

    private double[] anyK(int k, long budget) {
        double[] kth = new double[n];
        double[] best = new double[k];
        long work = 0;
        for (int b = 0; b < strips; b++) {
            if (work > budget) {
                return null;
            }
            int from = start[b];
            int to = start[b + 1];
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
                    int q = hi;
                    for (; q < bTo; q++) {
                        double dy = sy[q] - y;
                        if (dy >= best[k - 1]) {
                            break;
                        }
                        insert(best, Math.max(Math.abs(sx[q] - x), dy), k);
                    }
                    work += q - hi;
                    q = lo;
                    for (; q >= bFrom; q--) {
                        double dy = y - sy[q];
                        if (dy >= best[k - 1]) {
                            break;
                        }
                        insert(best, Math.max(Math.abs(sx[q] - x), dy), k);
                    }
                    work += lo - q;
                    int next = nextStrip(b, dl, dr, x, best[k - 1]);
                    if (next == 0) {
                        break;
                    }
                    int c;
                    if (next < 0) {
                        bFrom = start[b - dl];
                        bTo = start[b - dl + 1];
                        c = dl == 1 ? toLeft[s] : lowerBound(sy, bFrom, bTo, y);
                        dl++;
                    } else {
                        bFrom = start[b + dr];
                        bTo = start[b + dr + 1];
                        c = dr == 1 ? toRight[s] : lowerBound(sy, bFrom, bTo, y);
                        dr++;
                    }
                    work += ENTRY_COST;
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
        double gapLeft = left >= 0 ? x - xs[start[left + 1] - 1] : Double.POSITIVE_INFINITY;
        double gapRight = right < strips ? xs[start[right]] - x : Double.POSITIVE_INFINITY;
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

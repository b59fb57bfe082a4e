package dev.btw.core.mi;

/**
 * For every point of a two-dimensional sample, the max-norm (Chebyshev) distance to its k-th nearest other
 * point. Sort-based, in O(n log n): the points, in x order, are cut into strips of consecutive points, each
 * strip kept in y order; a query scans its own strip outwards in y, then the neighbouring strips while they can
 * still hold a closer point.
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
        // Distribute the points, taken in y order, to their strips: each strip comes out sorted by y.
        double[] sy = new double[n];
        double[] sx = new double[n];
        int[] posInStrip = new int[n];
        int strips = (n + width - 1) / width;
        int[] fill = new int[strips];
        for (int b = 0; b < strips; b++) {
            fill[b] = b * width;
        }
        for (int r = 0; r < n; r++) {
            int i = yOrder[r];
            int slot = fill[i / width]++;
            sy[slot] = ys[i];
            sx[slot] = xs[i];
            posInStrip[i] = slot;
        }
        double[] kth = new double[n];
        double[] best = new double[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            double x = xs[i];
            double y = ys[i];
            int own = i / width;
            int from = own * width;
            int to = Math.min(n, from + width);
            int p = posInStrip[i];
            scanUp(sy, sx, p + 1, to, x, y, best, k);
            scanDown(sy, sx, p - 1, from, x, y, best, k);
            int left = own - 1;
            int right = own + 1;
            while (true) {
                double gapLeft = left >= 0 ? x - xs[left * width + width - 1] : Double.POSITIVE_INFINITY;
                double gapRight = right < strips ? xs[right * width] - x : Double.POSITIVE_INFINITY;
                double bound = best[k - 1];
                boolean goLeft = gapLeft < bound;
                boolean goRight = gapRight < bound;
                if (!goLeft && !goRight) {
                    break;
                }
                int b;
                if (goLeft && (!goRight || gapLeft <= gapRight)) {
                    b = left--;
                } else {
                    b = right++;
                }
                int bFrom = b * width;
                int bTo = Math.min(n, bFrom + width);
                int q = lowerBound(sy, bFrom, bTo, y);
                scanUp(sy, sx, q, bTo, x, y, best, k);
                scanDown(sy, sx, q - 1, bFrom, x, y, best, k);
            }
            kth[i] = best[k - 1];
        }
        return kth;
    }

    /** Strip width balancing strips visited against points scanned per strip (tuned on Gaussian-like data). */
    static int stripWidth(int n, int k) {
        int w = (int) Math.round(Math.sqrt((double) n * (k + 1)) * 0.5);
        return Math.max(Math.max(w, k + 1), 1);
    }

    private static void scanUp(double[] sy, double[] sx, int from, int to, double x, double y, double[] best,
            int k) {
        for (int q = from; q < to; q++) {
            double dy = sy[q] - y;
            if (dy >= best[k - 1]) {
                return;
            }
            double d = Math.max(Math.abs(sx[q] - x), dy);
            if (d < best[k - 1]) {
                insert(best, d, k);
            }
        }
    }

    private static void scanDown(double[] sy, double[] sx, int from, int to, double x, double y, double[] best,
            int k) {
        for (int q = from; q >= to; q--) {
            double dy = y - sy[q];
            if (dy >= best[k - 1]) {
                return;
            }
            double d = Math.max(Math.abs(sx[q] - x), dy);
            if (d < best[k - 1]) {
                insert(best, d, k);
            }
        }
    }

    private static void insert(double[] best, double d, int k) {
        int j = k - 1;
        while (j > 0 && best[j - 1] > d) {
            best[j] = best[j - 1];
            j--;
        }
        best[j] = d;
    }

    /** First index in [from, to) whose value is >= v (the range is sorted). */
    private static int lowerBound(double[] a, int from, int to, double v) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

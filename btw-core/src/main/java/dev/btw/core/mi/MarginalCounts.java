package dev.btw.core.mi;

/**
 * For every point of a sorted one-dimensional sample, how many other points lie within a given distance
 * (inclusive), found by galloping outwards from the point's own position: O(log count) per point.
 */
final class MarginalCounts {

    private MarginalCounts() {}

    /**
     * @param sorted the values, ascending
     * @param rank the position in {@code sorted} of the point whose neighbours are counted
     * @param radius points at distance {@code |v - sorted[rank]| <= radius} count
     * @return how many points other than the point itself are that close
     */
    static int within(double[] sorted, int rank, double radius) {
        double v = sorted[rank];
        int n = sorted.length;
        // Upwards: the last index hi with sorted[hi] - v <= radius.
        int step = 1;
        int lo = rank;
        while (rank + step < n && sorted[rank + step] - v <= radius) {
            lo = rank + step;
            step <<= 1;
        }
        int hi = Math.min(n - 1, rank + step);
        int up = lastWithin(sorted, lo, hi, v, radius);
        // Downwards: the first index with v - sorted[i] <= radius.
        step = 1;
        hi = rank;
        while (rank - step >= 0 && v - sorted[rank - step] <= radius) {
            hi = rank - step;
            step <<= 1;
        }
        lo = Math.max(0, rank - step);
        int down = firstWithin(sorted, lo, hi, v, radius);
        return up - down;
    }

    /**
     * sorted[lo] is within; returns the last index in [lo, hi] within radius above v. The halving step is a
     * conditional move rather than a branch: the outcome is unpredictable, and mispredictions dominated.
     */
    private static int lastWithin(double[] sorted, int lo, int hi, double v, double radius) {
        int len = hi - lo;
        while (len > 0) {
            int half = (len + 1) >>> 1;
            lo = sorted[lo + half] - v <= radius ? lo + half : lo;
            len -= half;
        }
        return lo;
    }

    /** sorted[hi] is within; returns the first index in [lo, hi] within radius below v (branch-free halving). */
    private static int firstWithin(double[] sorted, int lo, int hi, double v, double radius) {
        int len = hi - lo;
        while (len > 0) {
            int half = (len + 1) >>> 1;
            hi = v - sorted[hi - half] <= radius ? hi - half : hi;
            len -= half;
        }
        return hi;
    }
}

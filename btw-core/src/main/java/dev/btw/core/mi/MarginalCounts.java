package dev.btw.core.mi;

/**
 * For the points of a sorted one-dimensional sample, how many other points lie within a given distance
 * (inclusive, {@code |v_j - v_i| <= radius} evaluated in floating point exactly as written). A table of uniform
 * buckets over the value range gives the approximate ends of the interval in O(1); a short walk with the exact
 * comparison then settles them. Without a usable range (all values equal) it falls back to galloping search.
 */
final class MarginalCounts {

    private final double[] sorted;
    private final double low;
    private final double scale;
    private final int buckets;
    /** bucketStart[b] = the first index whose value falls in bucket b or later; bucketStart[buckets] = n. */
    private final int[] bucketStart;

    /** @param sorted the values, ascending (not copied) */
    MarginalCounts(double[] sorted) {
        this.sorted = sorted;
        int n = sorted.length;
        this.low = sorted[0];
        double range = sorted[n - 1] - low;
        if (range > 0 && Double.isFinite(range)) {
            this.buckets = n;
            this.scale = buckets / range;
            this.bucketStart = new int[buckets + 1];
            int b = 0;
            for (int j = 0; j < n; j++) {
                int bj = bucket(sorted[j]);
                while (b <= bj) {
                    bucketStart[b++] = j;
                }
            }
            while (b <= buckets) {
                bucketStart[b++] = n;
            }
        } else {
            this.buckets = 0;
            this.scale = 0;
            this.bucketStart = null;
        }
    }

    private int bucket(double v) {
        // Branch-free clamp to [0, buckets - 1]; the cast truncates towards zero.
        return (int) Math.min(Math.max((v - low) * scale, 0.0), buckets - 1);
    }

    /**
     * @param rank the position of the point whose neighbours are counted
     * @param radius points at distance {@code <= radius} count
     * @return how many points other than the point itself are that close
     */
    int within(int rank, double radius) {
        if (bucketStart == null) {
            return within(sorted, rank, radius);
        }
        double[] a = sorted;
        int n = a.length;
        double v = a[rank];
        // Upper end: the last index with a[j] - v <= radius.
        int hi = Math.max(rank, bucketStart[bucket(v + radius) + 1] - 1);
        while (hi + 1 < n && a[hi + 1] - v <= radius) {
            hi++;
        }
        while (a[hi] - v > radius) {
            hi--;
        }
        // Lower end: the first index with v - a[j] <= radius.
        int lo = Math.min(rank, bucketStart[bucket(v - radius)]);
        while (lo > 0 && v - a[lo - 1] <= radius) {
            lo--;
        }
        while (v - a[lo] > radius) {
            lo++;
        }
        return hi - lo;
    }

    /**
     * Galloping outwards from the point's position: O(log count), no table.
     *
     * @param sorted the values, ascending
     * @param rank the position of the point
     * @param radius points at distance {@code <= radius} count
     * @return how many points other than the point itself are that close
     */
    static int within(double[] sorted, int rank, double radius) {
        double v = sorted[rank];
        int n = sorted.length;
        int step = 1;
        int lo = rank;
        while (rank + step < n && sorted[rank + step] - v <= radius) {
            lo = rank + step;
            step <<= 1;
        }
        int hi = Math.min(n - 1, rank + step);
        int up = lastWithin(sorted, lo, hi, v, radius);
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

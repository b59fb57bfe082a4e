package dev.btw.core.mi;

/**
 * For the points of a sorted one-dimensional sample, how many other points lie within a given distance
 * (inclusive, {@code |v_j - v_i| <= radius} evaluated in floating point exactly as written). A table of uniform
 * buckets over the value range gives the approximate ends of the interval in O(1); a branch-free search of a
 * small window around them with the exact comparison then settles them, or, when the window does not bracket an
 * end, a short walk, and when many values crowd one bucket (ties broken only by a tiny jitter), a logarithmic
 * search. Without a usable range (all values equal) it uses galloping search from the point.
 */
final class MarginalCounts {

    /** Steps walked from the bucket's guess before switching to a logarithmic search (dense ties). */
    private static final int WALK = 8;
    /** Slots of the branch-free search window (a power of two), of which BEHIND lie before the bucket's guess. */
    private static final int WINDOW = 32;

    private static final int BEHIND = 24;

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
        // The last index within, near the end of v + radius's bucket: a window of WINDOW slots ending a little
        // past it is searched in a fixed number of conditional moves when its two ends bracket the answer (almost
        // always); otherwise the walk. The window replaced a walk whose variable length mispredicted (10 % of KSG).
        int g = bucketStart[bucket(v + radius) + 1] - 1;
        int base = Math.max(rank, g - BEHIND);
        int hi;
        if ((base == rank || a[base] - v <= radius) && (base + WINDOW >= n || a[base + WINDOW] - v > radius)) {
            hi = base;
            for (int half = WINDOW >>> 1; half > 0; half >>>= 1) {
                int j = Math.min(hi + half, n - 1);
                hi = a[j] - v <= radius ? j : hi;
            }
        } else {
            hi = settleUp(a, rank, Math.max(rank, g), v, radius);
        }
        // The first index within, near the start of v - radius's bucket, the same way downwards.
        g = bucketStart[bucket(v - radius)];
        int top = Math.min(rank, g + BEHIND);
        int lo;
        if ((top == rank || v - a[top] <= radius) && (top - WINDOW < 0 || v - a[top - WINDOW] > radius)) {
            lo = top;
            for (int half = WINDOW >>> 1; half > 0; half >>>= 1) {
                int j = Math.max(lo - half, 0);
                lo = v - a[j] <= radius ? j : lo;
            }
        } else {
            lo = settleDown(a, rank, Math.min(rank, g), v, radius);
        }
        return hi - lo;
    }

    /** The last index with a[j] - v &lt;= radius, from a guess g >= rank: a short walk, else a logarithmic search. */
    private static int settleUp(double[] a, int rank, int g, double v, double radius) {
        int n = a.length;
        if (a[g] - v <= radius) {
            for (int step = 0; step < WALK; step++) {
                if (g + 1 >= n || a[g + 1] - v > radius) {
                    return g;
                }
                g++;
            }
            return gallopUp(a, g, v, radius);
        }
        for (int step = 0; step < WALK; step++) {
            g--;
            if (a[g] - v <= radius) {
                return g;
            }
        }
        return lastWithin(a, rank, g, v, radius);
    }

    /** The first index with v - a[j] &lt;= radius, from a guess g &lt;= rank: a short walk, else a logarithmic search. */
    private static int settleDown(double[] a, int rank, int g, double v, double radius) {
        if (v - a[g] <= radius) {
            for (int step = 0; step < WALK; step++) {
                if (g == 0 || v - a[g - 1] > radius) {
                    return g;
                }
                g--;
            }
            return gallopDown(a, g, v, radius);
        }
        for (int step = 0; step < WALK; step++) {
            g++;
            if (v - a[g] <= radius) {
                return g;
            }
        }
        return firstWithin(a, g, rank, v, radius);
    }

    /** a[from] is within; the last index within above it, by galloping then halving. */
    private static int gallopUp(double[] a, int from, double v, double radius) {
        int n = a.length;
        int step = 1;
        int lo = from;
        while (from + step < n && a[from + step] - v <= radius) {
            lo = from + step;
            step <<= 1;
        }
        return lastWithin(a, lo, Math.min(n - 1, from + step), v, radius);
    }

    /** a[from] is within; the first index within below it, by galloping then halving. */
    private static int gallopDown(double[] a, int from, double v, double radius) {
        int step = 1;
        int hi = from;
        while (from - step >= 0 && v - a[from - step] <= radius) {
            hi = from - step;
            step <<= 1;
        }
        return firstWithin(a, Math.max(0, from - step), hi, v, radius);
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

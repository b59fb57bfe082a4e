package dev.btw.core.mi;

import java.util.Arrays;

/**
 * The permutation that sorts an array of doubles ascending, by a least-significant-digit radix sort on the
 * IEEE-754 bit patterns: O(n), no boxing, stable. NaN must not occur (callers reject it first).
 */
final class ArgSort {

    private static final int BITS = 11;
    private static final int BUCKETS = 1 << BITS;
    private static final int MASK = BUCKETS - 1;

    private ArgSort() {}

    /**
     * @param values the values, not modified
     * @return {@code order} with {@code values[order[0]] <= values[order[1]] <= ...}
     */
    static int[] of(double[] values) {
        int n = values.length;
        long[] keys = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = sortableBits(values[i]);
            order[i] = i;
        }
        if (n < 2) {
            return order;
        }
        long[] keys2 = new long[n];
        int[] order2 = new int[n];
        int[] count = new int[BUCKETS];
        for (int shift = 0; shift < 64; shift += BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (keys[i] >>> shift) & MASK]++;
            }
            if (count[(int) (keys[0] >>> shift) & MASK] == n) {
                continue; // every key has the same digit here: the pass would not move anything
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int slot = count[(int) (keys[i] >>> shift) & MASK]++;
                keys2[slot] = keys[i];
                order2[slot] = order[i];
            }
            long[] tk = keys;
            keys = keys2;
            keys2 = tk;
            int[] to = order;
            order = order2;
            order2 = to;
        }
        return order;
    }

    /** Maps a double to a long whose unsigned order is the numeric order (-0.0 just before 0.0). */
    private static long sortableBits(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }
}

package dev.btw.core.mi;

/**
 * Standard normal numbers drawn exactly as numpy's legacy {@code RandomState(seed).standard_normal} draws them:
 * the MT19937 generator seeded with a 32-bit integer, 53-bit doubles, and the polar (Marsaglia) method that
 * returns one value and keeps the second for the next call. With the same seed it reproduces scikit-learn's
 * tie-breaking jitter, which makes {@link KsgMutualInformation} agree with {@code mutual_info_regression}
 * value for value.
 */
public final class LegacyNormalGenerator {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index;
    private boolean hasGauss;
    private double gauss;

    /**
     * @param seed the seed, used as an unsigned 32-bit integer (numpy accepts 0 to 2^32 - 1)
     */
    public LegacyNormalGenerator(long seed) {
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        index = N;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int next = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                next ^= 0x9908b0df;
            }
            mt[i] = next;
        }
        index = 0;
    }

    /** @return the next 32 random bits, as MT19937's genrand_int32 */
    int nextInt32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** @return a uniform double in [0, 1) with 53 random bits */
    public double nextDouble() {
        long a = (nextInt32() & 0xffffffffL) >>> 5;
        long b = (nextInt32() & 0xffffffffL) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** @return the next standard normal number */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /**
     * @param n how many
     * @return the next {@code n} standard normal numbers
     */
    public double[] nextGaussians(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextGaussian();
        }
        return out;
    }
}

package dev.btw.djl.model;

import java.util.SplittableRandom;

/**
 * The model's training randomness (gating noise, head dropout), drawn in Java from a seed that the trainer sets
 * before every step. Because the stream depends only on that seed, a resumed run draws exactly the noise an
 * uninterrupted one would, whatever the engine's own generator did meanwhile.
 */
public final class TrainingNoise {

    private SplittableRandom random = new SplittableRandom(0);

    /**
     * Restarts the stream.
     *
     * @param seed the seed, typically derived from (run seed, epoch, step)
     */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * @param n how many values
     * @return n draws from N(0, 1)
     */
    public float[] normal(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /**
     * @param n how many values
     * @return n draws from U[0, 1)
     */
    public float[] uniform(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextDouble();
        }
        return out;
    }
}

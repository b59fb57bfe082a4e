package dev.btw.djl.training;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A DJL {@link Sampler} whose batch order depends only on a seed and the epoch: each epoch is a Fisher-Yates
 * shuffle drawn from {@code new Random(seed * 1000003 + epoch)}, cut into batches in order (the last one may be
 * short). A run resumed at epoch e therefore sees the batches the uninterrupted run saw. {@link StepSeeds} sets the
 * epoch before every epoch; set it yourself with {@link #setEpoch} when you drive training another way.
 */
public final class EpochShuffleSampler implements Sampler {

    private final int batchSize;
    private final long seed;
    private volatile int epoch = 1;

    /**
     * @param batchSize instances per batch, at least 1
     * @param seed the run's seed
     */
    public EpochShuffleSampler(int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** @param epoch the epoch the next {@link #sample} call serves, from 1 */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** @return the epoch the next {@link #sample} call serves */
    public int epoch() {
        return epoch;
    }

    /**
     * The order of one epoch.
     *
     * @param n instances
     * @param seed the run's seed
     * @param epoch the epoch, from 1
     * @return a permutation of {@code 0..n-1}
     */
    public static int[] order(int n, long seed, int epoch) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int[] perm = order(Math.toIntExact(dataset.size()), seed, epoch);
        return new Iterator<>() {
            private int from;

            @Override
            public boolean hasNext() {
                return from < perm.length;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(perm.length, from + batchSize);
                List<Long> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add((long) perm[i]);
                }
                from = to;
                return batch;
            }
        };
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "EpochShuffleSampler{batchSize=" + batchSize + ", seed=" + seed + ", epoch=" + epoch + "}";
    }
}

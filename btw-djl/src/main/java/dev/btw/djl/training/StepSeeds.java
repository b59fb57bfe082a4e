package dev.btw.djl.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import dev.btw.djl.model.TrainingNoise;

/**
 * Draws every random number of training from the run's seed, the epoch and the step, as {@code btw train} does, so
 * that the same seed gives the same bytes and a resumed run repeats what the uninterrupted one would have done: before
 * every batch it reseeds the block's {@link TrainingNoise} (gating noise and dropout) with
 * {@code seed * 0x9E3779B97F4A7C15 + epoch * 1000003 + step}, and before every epoch it sets the
 * {@link EpochShuffleSampler}'s epoch. Add it to the training config like any DJL listener; the block must hold the
 * same noise ({@code block.setTrainingNoise(noise)}).
 */
public final class StepSeeds extends TrainingListenerAdapter {

    private final long seed;
    private final TrainingNoise noise;
    private final EpochShuffleSampler sampler;
    private int epoch = 1;
    private int step;

    /**
     * @param seed the run's seed
     * @param noise the noise the block draws from
     * @param sampler the training dataset's sampler, or null when the order is left to DJL
     */
    public StepSeeds(long seed, TrainingNoise noise, EpochShuffleSampler sampler) {
        if (noise == null) {
            throw new IllegalArgumentException("noise is null: pass the TrainingNoise the block was given");
        }
        this.seed = seed;
        this.noise = noise;
        this.sampler = sampler;
    }

    /**
     * For a resumed run: the epochs already done (call before the trainer is made, which begins training).
     *
     * @param done epochs finished before this training starts
     */
    public void setEpochsDone(int done) {
        this.epoch = done + 1;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        startEpoch();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        noise.reseed(noiseSeed());
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        startEpoch();
    }

    private void startEpoch() {
        step = 0;
        if (sampler != null) {
            sampler.setEpoch(epoch);
        }
        noise.reseed(noiseSeed());
    }

    private long noiseSeed() {
        return seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + step;
    }

    /** @return the epoch the next batch belongs to, from 1 */
    public int epoch() {
        return epoch;
    }

    @Override
    public String toString() {
        return "StepSeeds{seed=" + seed + ", epoch=" + epoch + ", step=" + step + "}";
    }
}

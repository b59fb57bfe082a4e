package dev.btw.djl.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import java.util.function.DoubleSupplier;

/**
 * The learning-rate schedule of {@code btw train} for a DJL optimiser: a {@link Tracker} whose value is multiplied
 * by a factor when the validation monitor has not improved for {@code patience} epochs (ReduceLROnPlateau), and the
 * listener that feeds it the monitor at the end of each epoch. Use the same object as both:
 *
 * <pre>{@code
 * PlateauLearningRate lr = PlateauLearningRate.builder()
 *         .setBaseValue(1e-3f)
 *         .setMonitor(btw::lastValidationMonitor, btw.higherIsBetter())
 *         .build();
 * config.optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
 *         .addTrainingListeners(btw)
 *         .addTrainingListeners(lr); // after the BTW listener, which computes the monitor
 * }</pre>
 */
public final class PlateauLearningRate extends TrainingListenerAdapter implements Tracker {

    private final PlateauScheduler scheduler;
    private final DoubleSupplier monitor;
    private float value;

    private PlateauLearningRate(Builder b) {
        this.scheduler = new PlateauScheduler(b.factor, b.patience, b.higherIsBetter);
        this.monitor = b.monitor;
        this.value = b.baseValue;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public float getNewValue(int numUpdate) {
        return value;
    }

    @Override
    public void onEpoch(Trainer trainer) {
        double m = monitor.getAsDouble();
        if (!Double.isNaN(m)) {
            value = scheduler.step(m, value);
        }
    }

    /**
     * @return the current value followed by the schedule's state (best monitor, bad epochs), for a checkpoint
     */
    public double[] state() {
        double[] inner = scheduler.state();
        double[] out = new double[inner.length + 1];
        out[0] = value;
        System.arraycopy(inner, 0, out, 1, inner.length);
        return out;
    }

    /**
     * Restores what {@link #state()} gave.
     *
     * @param state the value and the schedule's state
     * @throws IllegalArgumentException when the state is empty
     */
    public void restore(double[] state) {
        if (state == null || state.length < 1) {
            throw new IllegalArgumentException("a plateau state holds the value and the schedule's state");
        }
        value = (float) state[0];
        double[] inner = new double[state.length - 1];
        System.arraycopy(state, 1, inner, 0, inner.length);
        scheduler.restore(inner);
    }

    /** @return the current learning rate */
    public float value() {
        return value;
    }

    @Override
    public String toString() {
        return "PlateauLearningRate{value=" + value + "}";
    }

    /** Builds a {@link PlateauLearningRate}. */
    public static final class Builder {

        private float baseValue = Float.NaN;
        private DoubleSupplier monitor;
        private boolean higherIsBetter;
        private double factor = 0.5;
        private int patience = 20;

        Builder() {}

        /**
         * @param baseValue the starting learning rate
         * @return this builder
         */
        public Builder setBaseValue(float baseValue) {
            this.baseValue = baseValue;
            return this;
        }

        /**
         * @param monitor the validation monitor after each epoch (NaN: no step), e.g.
         *     {@code btw::lastValidationMonitor}
         * @param higherIsBetter true for macro-F1 (classification), false for MAE (regression)
         * @return this builder
         */
        public Builder setMonitor(DoubleSupplier monitor, boolean higherIsBetter) {
            this.monitor = monitor;
            this.higherIsBetter = higherIsBetter;
            return this;
        }

        /**
         * @param factor what the rate is multiplied by on a plateau (default 0.5, {@code train.lr_factor})
         * @return this builder
         */
        public Builder optFactor(double factor) {
            this.factor = factor;
            return this;
        }

        /**
         * @param patience epochs without improvement before the rate drops (default 20, {@code train.lr_patience})
         * @return this builder
         */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * @return the schedule
         * @throws IllegalArgumentException when the base value or the monitor is missing, or a setting is out of
         *     range
         */
        public PlateauLearningRate build() {
            if (!(baseValue >= 0)) {
                throw new IllegalArgumentException("PlateauLearningRate needs setBaseValue(a rate of 0 or more)");
            }
            if (monitor == null) {
                throw new IllegalArgumentException("PlateauLearningRate needs setMonitor(supplier, higherIsBetter)");
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("the plateau factor must be in (0, 1], got " + factor);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("the plateau patience must be at least 1, got " + patience);
            }
            return new PlateauLearningRate(this);
        }
    }
}

package dev.btw.djl.training;

/**
 * ReduceLROnPlateau on the validation monitor ({@code torch.optim.lr_scheduler.ReduceLROnPlateau}, relative
 * threshold 1e-4): after more than {@code patience} epochs without improvement the learning rate is multiplied
 * by {@code factor}, and counting starts again.
 */
public final class PlateauScheduler {

    private final double factor;
    private final int patience;
    private final boolean higherIsBetter;
    private double best;
    private int badEpochs;

    /**
     * @param factor the multiplier, in (0, 1)
     * @param patience epochs without improvement tolerated
     * @param higherIsBetter whether the monitor is maximised
     */
    public PlateauScheduler(double factor, int patience, boolean higherIsBetter) {
        this.factor = factor;
        this.patience = patience;
        this.higherIsBetter = higherIsBetter;
        this.best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /**
     * Records an epoch's monitor and returns the learning rate to use next.
     *
     * @param monitor the validation monitor
     * @param lr the current learning rate
     * @return the next learning rate
     */
    public float step(double monitor, float lr) {
        boolean better = higherIsBetter
                ? monitor > best * (best >= 0 ? 1 + 1e-4 : 1 - 1e-4)
                : monitor < best * (best >= 0 ? 1 - 1e-4 : 1 + 1e-4);
        if (better || Double.isInfinite(best)) {
            best = monitor;
            badEpochs = 0;
            return lr;
        }
        badEpochs++;
        if (badEpochs > patience) {
            badEpochs = 0;
            return (float) (lr * factor);
        }
        return lr;
    }

    /** @return {best, badEpochs} for a checkpoint */
    public double[] state() {
        return new double[] {best, badEpochs};
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @param state {best, badEpochs}
     */
    public void restore(double[] state) {
        best = state[0];
        badEpochs = (int) state[1];
    }
}

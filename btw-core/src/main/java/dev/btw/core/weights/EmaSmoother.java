package dev.btw.core.weights;

import dev.btw.core.BtwException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exponential moving average between refreshes: W_i^m &lt;- s f_i^m + (1 - s) W_i^m, starting from W = 1, with
 * the factor s adapted by validation progress ({@link #observe(boolean)}). A modality missing from the target
 * (weight 0) gets weight 0. Not thread-safe: one smoother per training run.
 */
public final class EmaSmoother {

    /** The initial smoothing factor s0. */
    public static final double DEFAULT_INITIAL = 0.5;
    /** The step by which s moves after each refresh. */
    public static final double DEFAULT_STEP = 0.05;

    private final double step;
    private double factor;
    private ModalityWeights current;

    /** A smoother with s0 = 0.5 and step 0.05. */
    public EmaSmoother() {
        this(DEFAULT_INITIAL, DEFAULT_STEP);
    }

    /**
     * @param initial s0 in [0, 1]
     * @param step the step, non-negative
     */
    public EmaSmoother(double initial, double step) {
        if (!(initial >= 0 && initial <= 1)) {
            throw new BtwException("smoothing factor must be in [0, 1], got " + initial);
        }
        if (!(step >= 0) || Double.isInfinite(step)) {
            throw new BtwException("smoothing step must be a non-negative number, got " + step);
        }
        this.factor = initial;
        this.step = step;
    }

    /** @return the current factor s */
    public double factor() {
        return factor;
    }

    /**
     * Adapts s after a refresh (from the second on): up by the step if the first epoch trained after the
     * previous refresh set a new best validation monitor, down otherwise; clamped to [0, 1].
     *
     * @param improvedAfterPreviousRefresh whether that epoch improved on the best validation monitor
     */
    public void observe(boolean improvedAfterPreviousRefresh) {
        factor = improvedAfterPreviousRefresh ? Math.min(factor + step, 1.0) : Math.max(factor - step, 0.0);
    }

    /** @return the weights after the last {@link #smooth(ModalityWeights)}, or null before the first */
    public ModalityWeights current() {
        return current;
    }

    /**
     * Blends a refresh's targets into the current weights (all ones before the first refresh) with the current
     * factor, and keeps the result as the current weights.
     *
     * @param target the refresh's target weights f
     * @return the new weights W
     */
    public ModalityWeights smooth(ModalityWeights target) {
        current = blend(current, target, factor);
        return current;
    }

    /**
     * W = s f + (1 - s) W_previous over the target's ids and modalities; an id or modality absent from
     * {@code previous} (or a null {@code previous}) starts at 1; where f is 0 (modality missing), W is 0.
     *
     * @param previous the previous weights, or null for the first refresh
     * @param target the targets f
     * @param s the factor in [0, 1]
     * @return the blended weights
     */
    public static ModalityWeights blend(ModalityWeights previous, ModalityWeights target, double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new BtwException("smoothing factor must be in [0, 1], got " + s);
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        boolean aligned = previous != null && previous.ids().equals(target.ids());
        for (String m : target.modalities()) {
            double[] f = target.column(m);
            boolean hasColumn = previous != null && previous.modalities().contains(m);
            double[] prev = hasColumn ? previous.column(m) : null;
            double[] w = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                if (f[i] == 0) {
                    continue;
                }
                double old = 1.0;
                if (aligned && prev != null) {
                    old = prev[i];
                } else if (prev != null && previous.contains(target.ids().get(i))) {
                    old = previous.get(target.ids().get(i), m);
                }
                w[i] = s * f[i] + (1 - s) * old;
            }
            cols.put(m, w);
        }
        return new ModalityWeights(target.ids(), cols, true);
    }
}

package dev.btw.djl.training;

import dev.btw.core.Task;
import dev.btw.core.metrics.ClassificationMetrics;
import dev.btw.core.metrics.MetricNames;

/**
 * The validation monitor of btw-method.md: MAE for regression (lower is better), macro-F1 for classification
 * (higher is better). It drives the BTW trigger, the smoothing and model selection, in the application's {@code FusionRun} and in
 * {@code dev.btw.djl.training.BtwTrainingListener} alike.
 */
public final class ValidationMonitor {

    private ValidationMonitor() {}

    /**
     * @param task the task
     * @param labels the split's labels (values, or class indices)
     * @param p the fused model's predictions (original label scale, or probabilities)
     * @return the monitor
     */
    public static double of(Task task, double[] labels, Predictions p) {
        if (task == Task.REGRESSION) {
            double[] q = p.regression();
            double s = 0;
            for (int i = 0; i < labels.length; i++) {
                s += Math.abs(labels[i] - q[i]);
            }
            return s / labels.length;
        }
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = (int) labels[i];
        }
        return ClassificationMetrics.compute(y, p.values(), true).get(MetricNames.F1_MACRO);
    }

    /**
     * @param task the task
     * @param monitor this epoch's monitor
     * @param best the best so far
     * @return whether {@code monitor} is strictly better than {@code best}
     */
    public static boolean better(Task task, double monitor, double best) {
        return task == Task.CLASSIFICATION ? monitor > best : monitor < best;
    }
}

package dev.btw.app.experiment;

import dev.btw.core.Task;
import dev.btw.core.metrics.ClassificationMetrics;
import dev.btw.core.metrics.RegressionMetrics;
import dev.btw.djl.training.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Metrics of one set of predictions on one split, over the instances the model predicts. */
public final class RunMetrics {

    private RunMetrics() {}

    /**
     * @param task the task
     * @param p the predictions
     * @param labels the labels (values or class indices), aligned with {@code p}
     * @return metric name to value (btw-core's names)
     */
    public static Map<String, Double> compute(Task task, Predictions p, double[] labels) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (p.has(i)) {
                rows.add(i);
            }
        }
        if (task == Task.REGRESSION) {
            double[] y = new double[rows.size()];
            double[] q = new double[rows.size()];
            for (int k = 0; k < y.length; k++) {
                y[k] = labels[rows.get(k)];
                q[k] = p.values()[rows.get(k)][0];
            }
            return RegressionMetrics.compute(y, q);
        }
        int[] y = new int[rows.size()];
        double[][] q = new double[rows.size()][];
        for (int k = 0; k < y.length; k++) {
            y[k] = (int) labels[rows.get(k)];
            q[k] = p.values()[rows.get(k)];
        }
        return ClassificationMetrics.compute(y, q, true);
    }
}

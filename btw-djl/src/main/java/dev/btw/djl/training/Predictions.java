package dev.btw.djl.training;

import dev.btw.core.Task;
import dev.btw.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One model's predictions for the instances of a split: a value per instance (regression) or a probability per
 * class (classification); a NaN value or a null row where the model cannot predict (a unimodal reference for an
 * instance lacking its modality).
 *
 * @param ids instance ids
 * @param values {@code [n][1]} for regression, {@code [n][C]} probabilities for classification
 */
public record Predictions(List<String> ids, double[][] values) {

    /** @return the regression values, NaN where missing */
    public double[] regression() {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] == null ? Double.NaN : values[i][0];
        }
        return v;
    }

    /**
     * @param i an instance index
     * @return whether the model predicts it
     */
    public boolean has(int i) {
        return values[i] != null && !Double.isNaN(values[i][0]);
    }

    /**
     * The RMS residual of regression predictions, over the instances predicted ({@link #has}): a reference's
     * sigma_m when these are its train predictions.
     *
     * @param labels the labels, aligned with the predictions
     * @return the root mean squared residual (0 when nothing is predicted)
     */
    public double rmsResidual(double[] labels) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (has(i)) {
                double r = labels[i] - values[i][0];
                s += r * r;
                n++;
            }
        }
        return Math.sqrt(s / Math.max(1, n));
    }

    /**
     * Writes the run-directory form: {@code id}, then {@code prediction} or one column per class, then
     * {@code label}. Rows the model cannot predict are left out.
     *
     * @param file the CSV file
     * @param task the task
     * @param classes class names (classification)
     * @param labels labels per instance (value, or class index)
     */
    public void writeCsv(Path file, Task task, List<String> classes, double[] labels) {
        try {
            AtomicFiles.writeText(file, w -> {
                w.write("id");
                if (task == Task.REGRESSION) {
                    w.write(",prediction");
                } else {
                    for (String c : classes) {
                        w.write("," + csv(c));
                    }
                }
                w.write(",label\n");
                for (int i = 0; i < ids.size(); i++) {
                    if (!has(i)) {
                        continue;
                    }
                    w.write(csv(ids.get(i)));
                    for (double v : values[i]) {
                        w.write("," + v);
                    }
                    w.write(","
                            + (task == Task.REGRESSION
                                    ? Double.toString(labels[i])
                                    : csv(classes.get((int) labels[i]))));
                    w.write("\n");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

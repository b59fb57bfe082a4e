package dev.btw.core.data;

import dev.btw.core.BtwException;

/**
 * Per-dimension standardisation of one modality's vectors, fitted on the train split: {@code (x - mean) / std}.
 * Training applies it to every modality's features; an exported model applies the same inside its graph, so that
 * it takes the vectors the encoders produce.
 *
 * @param mean the train mean per dimension
 * @param std the train standard deviation per dimension (1 where the dimension is constant)
 */
public record Standardisation(double[] mean, double[] std) {

    /** Checks the two arrays agree. */
    public Standardisation {
        if (mean.length != std.length) {
            throw new BtwException("standardisation: " + mean.length + " means but " + std.length + " deviations");
        }
    }

    /**
     * Fits on the rows that are present, with the population variance; a dimension whose variance is 0 (or no row
     * at all) gets std 1 so that it passes through centred.
     *
     * @param values row-major vectors of width {@code d}
     * @param present which rows to fit on
     * @param d the width
     * @return the fitted standardisation
     */
    public static Standardisation fit(float[] values, boolean[] present, int d) {
        Fitter f = new Fitter(d);
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                f.add(values, i * d);
            }
        }
        return f.result();
    }

    /**
     * Fits a standardisation one row at a time, for rows that are not in one array (a memory-mapped store); rows
     * added in the same order give exactly {@link #fit(float[], boolean[], int)}'s result.
     */
    public static final class Fitter {
        private final int d;
        private final double[] sum;
        private final double[] sq;
        private int n;

        /** @param d the width */
        public Fitter(int d) {
            this.d = d;
            this.sum = new double[d];
            this.sq = new double[d];
        }

        /**
         * Adds one present row.
         *
         * @param values holds the row
         * @param offset where the row starts in {@code values}
         */
        public void add(float[] values, int offset) {
            n++;
            for (int c = 0; c < d; c++) {
                double v = values[offset + c];
                sum[c] += v;
                sq[c] += v * v;
            }
        }

        /** @return the standardisation of the rows added (population variance; std 1 where constant or empty) */
        public Standardisation result() {
            double[] mean = new double[d];
            double[] std = new double[d];
            for (int c = 0; c < d; c++) {
                mean[c] = n == 0 ? 0 : sum[c] / n;
                double var = n == 0 ? 1 : Math.max(sq[c] / n - mean[c] * mean[c], 0);
                std[c] = var > 1e-24 ? Math.sqrt(var) : 1.0;
            }
            return new Standardisation(mean, std);
        }
    }

    /**
     * Fits one value per row (a regression label): its mean and population standard deviation, 1 when constant.
     *
     * @param values the values
     * @return a standardisation of width 1
     */
    public static Standardisation fit(double[] values) {
        double sum = 0;
        double sq = 0;
        for (double v : values) {
            sum += v;
            sq += v * v;
        }
        double mean = values.length == 0 ? 0 : sum / values.length;
        double var = values.length == 0 ? 1 : Math.max(sq / values.length - mean * mean, 0);
        return new Standardisation(new double[] {mean}, new double[] {var > 1e-24 ? Math.sqrt(var) : 1.0});
    }

    /**
     * Standardises the present rows in place.
     *
     * @param values row-major vectors of width {@link #width()}
     * @param present which rows to change
     */
    public void applyInPlace(float[] values, boolean[] present) {
        int d = mean.length;
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                for (int c = 0; c < d; c++) {
                    values[i * d + c] = (float) ((values[i * d + c] - mean[c]) / std[c]);
                }
            }
        }
    }

    /**
     * Standardises one row in place, exactly as {@link #applyInPlace} does for a present row.
     *
     * @param values holds the row
     * @param offset where the row starts
     */
    public void applyToRow(float[] values, int offset) {
        for (int c = 0; c < mean.length; c++) {
            values[offset + c] = (float) ((values[offset + c] - mean[c]) / std[c]);
        }
    }

    /** @return the width */
    public int width() {
        return mean.length;
    }
}

package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Numeric columns as a vector, each standardised with the mean and standard deviation of the train split only
 * (so that no statistic leaks from validation or test data). A row with an empty cell among the columns is a
 * missing modality, decided before the encoder is called (the feature store never passes it here), exactly as in
 * all-tabular configs ({@code TabularFeatures}), so that one manifest gives one presence mask. Called directly with
 * an empty cell, the encoder imputes the train mean (0 after standardising). A non-numeric cell is an error naming
 * the row and the column.
 */
public final class TabularEncoder implements Encoder {

    private final String name;
    private final List<String> columns;
    private final double[] mean;
    private final double[] std;

    private TabularEncoder(String name, List<String> columns, double[] mean, double[] std) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.mean = mean;
        this.std = std;
    }

    /**
     * Picks columns from a header: the listed names (each must exist), or every column whose name matches a
     * regex in full.
     *
     * @param header the manifest's columns
     * @param listed names, or empty
     * @param regex a regex, or null
     * @param exclude columns never picked by a regex (id, split, label)
     * @return the picked columns, in header order for a regex, in listed order otherwise
     */
    public static List<String> selectColumns(
            List<String> header, List<String> listed, String regex, List<String> exclude) {
        if (!listed.isEmpty()) {
            for (String c : listed) {
                if (!header.contains(c)) {
                    throw new BtwException("unknown column '" + c + "' (not in the manifest header)");
                }
            }
            return List.copyOf(listed);
        }
        if (regex == null) {
            throw new BtwException("a tabular modality needs columns: a list of names or a regex");
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new BtwException("bad column regex '" + regex + "': " + e.getDescription());
        }
        List<String> out = header.stream()
                .filter(c -> !exclude.contains(c) && p.matcher(c).matches())
                .toList();
        if (out.isEmpty()) {
            throw new BtwException("column regex '" + regex + "' matches no column of the manifest");
        }
        return out;
    }

    /**
     * Fits the standardisation on train rows.
     *
     * @param name the modality's encoder name (for messages)
     * @param columns the column names, in the order of each input's values
     * @param train the train split's rows
     * @return the fitted encoder
     */
    public static TabularEncoder fit(String name, List<String> columns, List<EncoderInput> train) {
        int d = columns.size();
        double[] sum = new double[d];
        double[] sq = new double[d];
        long[] n = new long[d];
        for (EncoderInput in : train) {
            double[] v = parse(name, columns, in);
            for (int j = 0; j < d; j++) {
                if (!Double.isNaN(v[j])) {
                    sum[j] += v[j];
                    sq[j] += v[j] * v[j];
                    n[j]++;
                }
            }
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            if (n[j] == 0) {
                throw new BtwException("column '" + columns.get(j) + "' has no value in the train split");
            }
            mean[j] = sum[j] / n[j];
            double var = Math.max(0, sq[j] / n[j] - mean[j] * mean[j]);
            std[j] = var > 1e-24 ? Math.sqrt(var) : 1.0;
            if (!Double.isFinite(sq[j]) || !Double.isFinite(mean[j]) || Math.abs(mean[j]) > Float.MAX_VALUE) {
                throw new BtwException("encoder " + name + ", column '" + columns.get(j) + "': its train statistics "
                        + "overflow (mean " + mean[j] + ", sum of squares " + sq[j]
                        + "): values too large to standardise");
            }
        }
        return new TabularEncoder(name, columns, mean, std);
    }

    private static double[] parse(String name, List<String> columns, EncoderInput in) {
        double[] v = new double[columns.size()];
        for (int j = 0; j < v.length; j++) {
            String cell = in.values().get(j).strip();
            if (cell.isEmpty()) {
                v[j] = Double.NaN;
                continue;
            }
            try {
                v[j] = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new BtwException(
                        "row '" + in.id() + "', column '" + columns.get(j) + "': '" + cell + "' is not a number");
            }
            if (!Double.isFinite(v[j])) {
                throw new BtwException("row '" + in.id() + "', column '" + columns.get(j) + "': '" + cell
                        + "' is not a finite number");
            }
        }
        return v;
    }

    /** @return the columns, in vector order */
    public List<String> columns() {
        return columns;
    }

    /** @return the train means, per column */
    public double[] means() {
        return mean.clone();
    }

    /** @return the train standard deviations (population), per column; 1 for a constant column */
    public double[] stds() {
        return std.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return columns.size();
    }

    @Override
    public String fingerprint() {
        return Sha256.ofString("columns=" + columns + ";mean=" + Arrays.toString(mean) + ";std=" + Arrays.toString(std))
                .substring(0, 16);
    }

    @Override
    public List<float[]> encode(List<EncoderInput> batch) {
        List<float[]> out = new ArrayList<>(batch.size());
        for (EncoderInput in : batch) {
            if (in.values().size() != columns.size()) {
                throw new EncoderException(
                        name, in.id(), "got " + in.values().size() + " cells for " + columns.size() + " columns");
            }
            double[] v = parse(name, columns, in);
            float[] z = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                z[j] = Double.isNaN(v[j]) ? 0f : (float) ((v[j] - mean[j]) / std[j]);
            }
            out.add(z);
        }
        return out;
    }

    @Override
    public void close() {}
}

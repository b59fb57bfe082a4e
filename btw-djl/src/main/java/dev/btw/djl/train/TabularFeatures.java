package dev.btw.djl.train;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.DataConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds {@link FusionData} straight from numeric manifest columns, for modalities whose encoder is
 * {@code columns}: each modality's vector is its columns, standardised with the train split's mean and standard
 * deviation. An instance with an empty cell in any of a modality's columns lacks that modality. (Modalities with
 * learned encoders go through the feature store instead.)
 */
public final class TabularFeatures {

    private TabularFeatures() {}

    /**
     * @param config a config whose modalities are all tabular
     * @return the data set
     * @throws BtwException naming the key, file, row or column at fault
     */
    public static FusionData load(BtwConfig config) {
        Map<String, ModalityConfig> modalities = config.modalities();
        if (modalities.isEmpty()) {
            throw new BtwException(config.source() + ": config key 'modalities' names no modality");
        }
        DataConfig data = config.data();
        List<String> required = new ArrayList<>();
        for (ModalityConfig m : modalities.values()) {
            if (!m.isTabular()) {
                throw new BtwException(config.source() + ": config key 'modalities." + m.name()
                        + ".encoder' is '" + m.encoder() + "'; btw train reads tabular ('columns') modalities "
                        + "directly, other encoders need the feature store");
            }
            required.addAll(m.columns());
        }
        Manifest manifest = Manifest.read(data.manifest(), data.id(), data.split(), data.label(), required);
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (ModalityConfig m : modalities.values()) {
            columns.put(m.name(), columnsOf(config, manifest, m));
        }
        Task task = Task.parse(config.task());
        List<String> classes = task == Task.CLASSIFICATION ? classes(config, manifest) : List.of();
        Map<String, Integer> dims = new LinkedHashMap<>();
        columns.forEach((k, v) -> dims.put(k, v.size()));

        Map<String, double[][]> stats = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : columns.entrySet()) {
            stats.put(e.getKey(), trainStats(manifest, e.getValue()));
        }
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            int[] rows = manifest.rowsOf(split);
            if (rows.length == 0) {
                throw new BtwException(manifest.file() + ": the " + split.label() + " split has no instance");
            }
            List<String> ids = new ArrayList<>();
            Map<String, float[]> feats = new LinkedHashMap<>();
            Map<String, boolean[]> present = new LinkedHashMap<>();
            double[] labels = new double[rows.length];
            for (String m : columns.keySet()) {
                List<String> cols = columns.get(m);
                double[][] st = stats.get(m);
                float[] f = new float[rows.length * cols.size()];
                boolean[] p = new boolean[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    double[] v = new double[cols.size()];
                    boolean ok = true;
                    for (int c = 0; c < cols.size() && ok; c++) {
                        v[c] = manifest.number(rows[i], cols.get(c));
                        ok = !Double.isNaN(v[c]);
                    }
                    p[i] = ok;
                    if (ok) {
                        for (int c = 0; c < cols.size(); c++) {
                            f[i * cols.size() + c] = (float) ((v[c] - st[0][c]) / st[1][c]);
                        }
                    }
                }
                feats.put(m, f);
                present.put(m, p);
            }
            for (int i = 0; i < rows.length; i++) {
                ids.add(manifest.ids().get(rows[i]));
                labels[i] = label(manifest, rows[i], data.label(), task, classes);
            }
            splits.put(split, new SplitData(ids, dims, feats, present, labels));
        }
        return new FusionData(task, dims, classes, splits);
    }

    private static List<String> columnsOf(BtwConfig config, Manifest manifest, ModalityConfig m) {
        if (!m.columns().isEmpty()) {
            return m.columns();
        }
        if (m.pattern() == null) {
            throw new BtwException(config.source() + ": config key 'modalities." + m.name()
                    + "' needs 'columns' or 'pattern'");
        }
        Pattern p;
        try {
            p = Pattern.compile(m.pattern());
        } catch (PatternSyntaxException e) {
            throw new BtwException(config.source() + ": config key 'modalities." + m.name()
                    + ".pattern' is not a valid regular expression: " + e.getDescription());
        }
        List<String> out = new ArrayList<>();
        for (String c : manifest.columns()) {
            if (p.matcher(c).matches()) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new BtwException(config.source() + ": config key 'modalities." + m.name() + ".pattern' ('"
                    + m.pattern() + "') matches no column of " + manifest.file());
        }
        return out;
    }

    private static List<String> classes(BtwConfig config, Manifest manifest) {
        if (!config.classes().isEmpty()) {
            return config.classes();
        }
        TreeSet<String> seen = new TreeSet<>();
        for (int r : manifest.rowsOf(Split.TRAIN)) {
            String v = manifest.label(r);
            if (v == null) {
                throw manifest.error(r, config.data().label(), "empty label");
            }
            seen.add(v);
        }
        if (seen.size() < 2) {
            throw new BtwException(manifest.file() + ": classification needs at least two classes in the train "
                    + "split, found " + seen);
        }
        return new ArrayList<>(seen);
    }

    private static double label(Manifest manifest, int row, String column, Task task, List<String> classes) {
        if (task == Task.REGRESSION) {
            double y = manifest.number(row, column);
            if (Double.isNaN(y)) {
                throw manifest.error(row, column, "empty label");
            }
            return y;
        }
        String v = manifest.label(row);
        int k = v == null ? -1 : classes.indexOf(v);
        if (k < 0) {
            throw manifest.error(row, column, "label '" + v + "' is not one of the classes " + classes);
        }
        return k;
    }

    /** Train mean and standard deviation (1 where constant) of each column over rows that have them all. */
    private static double[][] trainStats(Manifest manifest, List<String> cols) {
        double[] sum = new double[cols.size()];
        double[] sq = new double[cols.size()];
        int n = 0;
        for (int r : manifest.rowsOf(Split.TRAIN)) {
            double[] v = new double[cols.size()];
            boolean ok = true;
            for (int c = 0; c < cols.size() && ok; c++) {
                v[c] = manifest.number(r, cols.get(c));
                ok = !Double.isNaN(v[c]);
            }
            if (ok) {
                n++;
                for (int c = 0; c < v.length; c++) {
                    sum[c] += v[c];
                    sq[c] += v[c] * v[c];
                }
            }
        }
        double[][] st = new double[2][cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            double mean = n == 0 ? 0 : sum[c] / n;
            double var = n == 0 ? 1 : Math.max(sq[c] / n - mean * mean, 0);
            st[0][c] = mean;
            st[1][c] = var > 1e-24 ? Math.sqrt(var) : 1.0;
        }
        return st;
    }
}

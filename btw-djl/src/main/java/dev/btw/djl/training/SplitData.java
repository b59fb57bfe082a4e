package dev.btw.djl.training;

import dev.btw.core.Task;
import dev.btw.core.data.Folds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of one split: ids, each modality's embeddings (row-major {@code [n, d_m]}, zeros where missing),
 * presence flags, and labels (the value for regression, the class index for classification). Embeddings are either
 * arrays in the heap or {@link FeatureRows} read on demand (the memory-mapped feature store, see
 * {@link #ofRows}); {@link #copyRow} reads both.
 */
public final class SplitData {

    private final List<String> ids;
    private final Map<String, Integer> dims;
    private final Map<String, float[]> features;
    private final Map<String, FeatureRows> rows;
    private final Map<String, boolean[]> present;
    private final double[] labels;

    /**
     * @param ids instance ids
     * @param dims embedding width per modality, in model order
     * @param features embeddings per modality, {@code n * d_m} values each
     * @param present presence per modality
     * @param labels one label per instance
     */
    public SplitData(
            List<String> ids,
            Map<String, Integer> dims,
            Map<String, float[]> features,
            Map<String, boolean[]> present,
            double[] labels) {
        this(ids, dims, features, Map.of(), present, labels);
    }

    private SplitData(
            List<String> ids,
            Map<String, Integer> dims,
            Map<String, float[]> features,
            Map<String, FeatureRows> rows,
            Map<String, boolean[]> present,
            double[] labels) {
        this.ids = List.copyOf(ids);
        this.dims = new LinkedHashMap<>(dims);
        this.features = new LinkedHashMap<>(features);
        this.rows = new LinkedHashMap<>(rows);
        this.present = new LinkedHashMap<>(present);
        this.labels = labels.clone();
        for (String m : dims.keySet()) {
            boolean sized = features.containsKey(m)
                    ? features.get(m).length == (long) ids.size() * dims.get(m)
                    : rows.containsKey(m);
            if (!sized || present.get(m).length != ids.size()) {
                throw new IllegalArgumentException("modality " + m + ": sizes do not match " + ids.size() + " ids");
            }
        }
    }

    /**
     * A split whose embeddings stay outside the heap and are read batch by batch.
     *
     * @param ids instance ids
     * @param dims embedding width per modality, in model order
     * @param rows each modality's rows (standardised, zeros where missing)
     * @param present presence per modality
     * @param labels one label per instance
     * @return the split
     */
    public static SplitData ofRows(
            List<String> ids,
            Map<String, Integer> dims,
            Map<String, FeatureRows> rows,
            Map<String, boolean[]> present,
            double[] labels) {
        return new SplitData(ids, dims, Map.of(), rows, present, labels);
    }

    /** @return the number of instances */
    public int size() {
        return ids.size();
    }

    /** @return instance ids */
    public List<String> ids() {
        return ids;
    }

    /** @return modality names in model order */
    public List<String> modalities() {
        return new ArrayList<>(dims.keySet());
    }

    /**
     * @param modality a modality
     * @return its width
     */
    public int dim(String modality) {
        return dims.get(modality);
    }

    /**
     * @param modality a modality
     * @return its embeddings, row-major (not copied: do not modify); for rows read on demand ({@link #ofRows}) a
     *     full copy in the heap, so training reads batches with {@link #copyRow} instead
     */
    public float[] features(String modality) {
        float[] f = features.get(modality);
        if (f != null) {
            return f;
        }
        int d = dims.get(modality);
        float[] all = new float[Math.multiplyExact(ids.size(), d)];
        FeatureRows r = rows.get(modality);
        for (int i = 0; i < ids.size(); i++) {
            r.copyRow(i, all, i * d);
        }
        return all;
    }

    /**
     * Copies one instance's embedding of one modality into an array (zeros where missing).
     *
     * @param modality a modality
     * @param i a row of this split
     * @param into the destination
     * @param offset where in {@code into} the row starts
     */
    public void copyRow(String modality, int i, float[] into, int offset) {
        float[] f = features.get(modality);
        if (f != null) {
            int d = dims.get(modality);
            System.arraycopy(f, i * d, into, offset, d);
        } else {
            rows.get(modality).copyRow(i, into, offset);
        }
    }

    /**
     * @param modality a modality
     * @return its presence flags (not copied)
     */
    public boolean[] present(String modality) {
        return present.get(modality);
    }

    /** @return the labels (not copied) */
    public double[] labels() {
        return labels;
    }

    /**
     * @param rows row indices
     * @return a split of those rows, in that order
     */
    public SplitData subset(int[] rows) {
        List<String> sid = new ArrayList<>(rows.length);
        Map<String, float[]> f = new LinkedHashMap<>();
        Map<String, FeatureRows> r = new LinkedHashMap<>();
        Map<String, boolean[]> p = new LinkedHashMap<>();
        double[] y = new double[rows.length];
        for (String m : dims.keySet()) {
            int d = dims.get(m);
            boolean[] ps = present.get(m);
            if (this.rows.containsKey(m)) {
                boolean[] pd = new boolean[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    pd[i] = ps[rows[i]];
                }
                r.put(m, this.rows.get(m).select(rows));
                p.put(m, pd);
                continue;
            }
            float[] src = features.get(m);
            float[] dst = new float[rows.length * d];
            boolean[] pd = new boolean[rows.length];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(src, rows[i] * d, dst, i * d, d);
                pd[i] = ps[rows[i]];
            }
            f.put(m, dst);
            p.put(m, pd);
        }
        for (int i = 0; i < rows.length; i++) {
            sid.add(ids.get(rows[i]));
            y[i] = labels[rows[i]];
        }
        return new SplitData(sid, dims, f, r, p, y);
    }

    /**
     * The data a unimodal reference sees: only that modality, only the instances that have it.
     *
     * @param modality a modality
     * @return the restricted split
     */
    public SplitData restrictTo(String modality) {
        boolean[] p = present.get(modality);
        int count = 0;
        for (boolean b : p) {
            count += b ? 1 : 0;
        }
        int[] rows = new int[count];
        for (int i = 0, j = 0; i < p.length; i++) {
            if (p[i]) {
                rows[j++] = i;
            }
        }
        SplitData s = subset(rows);
        Map<String, float[]> f =
                s.features.containsKey(modality) ? Map.of(modality, s.features.get(modality)) : Map.of();
        Map<String, FeatureRows> r = s.rows.containsKey(modality) ? Map.of(modality, s.rows.get(modality)) : Map.of();
        return new SplitData(
                s.ids, Map.of(modality, dims.get(modality)), f, r, Map.of(modality, s.present(modality)), s.labels);
    }

    /**
     * The folds of out-of-fold references over these instances: stratified by class for classification, each group
     * kept in one fold ({@link Folds#assign}).
     *
     * @param task the task (classification stratifies by the label)
     * @param groups each instance's group by id, or null for none
     * @param k the number of folds
     * @param seed the seed
     * @return the fold of each instance, in this split's order
     */
    public int[] folds(Task task, Map<String, String> groups, int k, long seed) {
        int n = size();
        int[] strata = new int[n]; // one stratum for regression
        if (task == Task.CLASSIFICATION) {
            for (int i = 0; i < n; i++) {
                strata[i] = (int) Math.round(labels[i]);
            }
        }
        String[] g = null;
        if (groups != null) {
            g = new String[n];
            for (int i = 0; i < n; i++) {
                g[i] = groups.get(ids.get(i));
            }
        }
        return Folds.assign(strata, g, k, seed);
    }
}

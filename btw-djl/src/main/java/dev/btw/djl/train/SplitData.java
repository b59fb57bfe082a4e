package dev.btw.djl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of one split in memory: ids, each modality's embeddings (row-major {@code [n, d_m]}, zeros
 * where missing), presence flags, and labels (the value for regression, the class index for classification).
 */
public final class SplitData {

    private final List<String> ids;
    private final Map<String, Integer> dims;
    private final Map<String, float[]> features;
    private final Map<String, boolean[]> present;
    private final double[] labels;

    /**
     * @param ids instance ids
     * @param dims embedding width per modality, in model order
     * @param features embeddings per modality, {@code n * d_m} values each
     * @param present presence per modality
     * @param labels one label per instance
     */
    public SplitData(List<String> ids, Map<String, Integer> dims, Map<String, float[]> features,
            Map<String, boolean[]> present, double[] labels) {
        this.ids = List.copyOf(ids);
        this.dims = new LinkedHashMap<>(dims);
        this.features = new LinkedHashMap<>(features);
        this.present = new LinkedHashMap<>(present);
        this.labels = labels.clone();
        for (String m : dims.keySet()) {
            if (features.get(m).length != (long) ids.size() * dims.get(m) || present.get(m).length != ids.size()) {
                throw new IllegalArgumentException("modality " + m + ": sizes do not match " + ids.size() + " ids");
            }
        }
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
     * @return its embeddings, row-major (not copied: do not modify)
     */
    public float[] features(String modality) {
        return features.get(modality);
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
        Map<String, boolean[]> p = new LinkedHashMap<>();
        double[] y = new double[rows.length];
        for (String m : dims.keySet()) {
            int d = dims.get(m);
            float[] src = features.get(m);
            float[] dst = new float[rows.length * d];
            boolean[] ps = present.get(m);
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
        return new SplitData(sid, dims, f, p, y);
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
        return new SplitData(s.ids, Map.of(modality, dims.get(modality)), Map.of(modality, s.features(modality)),
                Map.of(modality, s.present(modality)), s.labels);
    }
}

package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.training.FeatureRows;
import dev.btw.djl.training.SplitData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Assembles {@link FusionData} from a manifest (ids, splits, labels) and a source of per-modality vectors;
 * every modality's columns are standardised with the train split's mean and standard deviation over the
 * instances that have the modality.
 */
final class DataAssembly {

    /** Supplies one modality's vectors for manifest rows. */
    interface Source {
        /**
         * @param modality the modality
         * @return its width
         */
        int dim(String modality);

        /**
         * @param modality the modality
         * @param rows manifest row indices
         * @param present filled with presence flags, one per row
         * @return the vectors, row-major, zeros where absent
         */
        float[] rows(String modality, int[] rows, boolean[] present);

        /**
         * Rows read on demand instead of copied into the heap, when the source can (a memory-mapped store).
         *
         * @param modality the modality
         * @param rows manifest row indices
         * @param present filled with presence flags, one per row
         * @return the rows, not standardised, or null to have {@link #rows} copy them
         */
        default StoreRows mapped(String modality, int[] rows, boolean[] present) {
            return null;
        }
    }

    private DataAssembly() {}

    static FusionData build(BtwConfig config, Manifest manifest, List<String> modalities, Source source) {
        Task task = config.task();
        List<String> classes = task == Task.CLASSIFICATION ? classes(config, manifest) : List.of();
        Map<String, Integer> dims = new LinkedHashMap<>();
        for (String m : modalities) {
            dims.put(m, source.dim(m));
        }
        Map<Split, int[]> rowsOf = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            rowsOf.put(s, manifest.rowsOf(s));
            if (rowsOf.get(s).length == 0) {
                throw new BtwException(manifest.file() + ": the " + s.label() + " split has no instance");
            }
        }
        Map<Split, Map<String, float[]>> feats = new EnumMap<>(Split.class);
        Map<Split, Map<String, FeatureRows>> mapped = new EnumMap<>(Split.class);
        Map<Split, Map<String, boolean[]>> pres = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            feats.put(s, new LinkedHashMap<>());
            mapped.put(s, new LinkedHashMap<>());
            pres.put(s, new LinkedHashMap<>());
        }
        Map<String, Standardisation> standardisation = new LinkedHashMap<>();
        for (String m : modalities) {
            Map<Split, StoreRows> raw = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                boolean[] p = new boolean[rowsOf.get(s).length];
                StoreRows r = source.mapped(m, rowsOf.get(s), p);
                if (r != null) {
                    raw.put(s, r);
                } else {
                    float[] f = source.rows(m, rowsOf.get(s), p);
                    requireFinite(manifest, m, s, rowsOf.get(s), f, p);
                    feats.get(s).put(m, f);
                }
                // mapped store rows were checked finite when they were encoded and stored
                pres.get(s).put(m, p);
            }
            if (raw.isEmpty()) {
                standardisation.put(m, standardise(m, dims.get(m), feats, pres));
            } else {
                Standardisation st =
                        fit(raw.get(Split.TRAIN), pres.get(Split.TRAIN).get(m), dims.get(m));
                standardisation.put(m, st);
                for (Split s : Split.values()) {
                    mapped.get(s).put(m, raw.get(s).withStandardisation(st));
                }
            }
        }
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            int[] rows = rowsOf.get(s);
            List<String> ids = new ArrayList<>(rows.length);
            double[] labels = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                ids.add(manifest.ids().get(rows[i]));
                labels[i] = label(manifest, rows[i], config.data().label(), task, classes);
            }
            splits.put(
                    s,
                    mapped.get(s).isEmpty()
                            ? new SplitData(ids, dims, feats.get(s), pres.get(s), labels)
                            : SplitData.ofRows(ids, dims, mapped.get(s), pres.get(s), labels));
        }
        return new FusionData(task, dims, classes, splits).withStandardisation(standardisation);
    }

    /** A NaN or infinity must not reach the standardisation, where it would spread over a whole dimension. */
    private static void requireFinite(Manifest manifest, String m, Split s, int[] rows, float[] f, boolean[] p) {
        int d = rows.length == 0 ? 0 : f.length / rows.length;
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; p[i] && c < d; c++) {
                if (!Float.isFinite(f[i * d + c])) {
                    throw new BtwException(manifest.file() + ": modality " + m + ", instance "
                            + manifest.ids().get(rows[i]) + " (" + s.label() + " split): value " + c + " is "
                            + f[i * d + c] + " (not finite as a 32-bit float)");
                }
            }
        }
    }

    /** The train statistics of rows read on demand: the same sums, in the same order, as an in-heap fit. */
    private static Standardisation fit(StoreRows train, boolean[] present, int d) {
        Standardisation.Fitter f = new Standardisation.Fitter(d);
        float[] row = new float[d];
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                train.copyRow(i, row, 0);
                f.add(row, 0);
            }
        }
        return f.result();
    }

    private static Standardisation standardise(
            String m, int d, Map<Split, Map<String, float[]>> feats, Map<Split, Map<String, boolean[]>> pres) {
        Standardisation st = Standardisation.fit(
                feats.get(Split.TRAIN).get(m), pres.get(Split.TRAIN).get(m), d);
        for (Split s : Split.values()) {
            st.applyInPlace(feats.get(s).get(m), pres.get(s).get(m));
        }
        return st;
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
}

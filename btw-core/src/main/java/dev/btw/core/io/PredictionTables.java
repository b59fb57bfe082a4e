package dev.btw.core.io;

import dev.btw.core.BtwException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers of the prediction files used by BTW weights, whatever produced them:
 * <ul>
 *   <li>unimodal regression: {@code id}, then one column per modality holding its prediction;</li>
 *   <li>unimodal classification: {@code id}, then one column {@code <modality>:<class>} per modality and class
 *       holding probabilities; every modality lists the same classes;</li>
 *   <li>fused: {@code id} and {@code prediction} (regression), or one probability column per class named by the
 *       class (classification); a {@code label} column, as in run-directory predictions, is ignored;</li>
 *   <li>labels: {@code id} and {@code label}.</li>
 * </ul>
 * In unimodal files an empty cell means the modality is missing for that instance. Fused and label files must
 * have exactly the ids of the unimodal file, in any order; results are aligned to the unimodal file's order.
 */
public final class PredictionTables {

    private PredictionTables() {}

    /**
     * @param file the unimodal regression predictions
     * @return ids and predictions by modality, NaN where missing
     */
    public static RegressionPredictions readUnimodalRegression(Path file) {
        IdCsvTable t = IdCsvTable.read(file);
        Map<String, double[]> byModality = new LinkedHashMap<>();
        for (String column : t.columns()) {
            if (column.equals("id")) {
                continue;
            }
            double[] v = new double[t.size()];
            for (int row = 0; row < v.length; row++) {
                v[row] = t.number(row, column, true);
            }
            byModality.put(column, v);
        }
        if (byModality.isEmpty()) {
            throw new BtwException(file + ": no modality columns besides 'id'");
        }
        return new RegressionPredictions(t.ids(), byModality);
    }

    /**
     * @param file the unimodal classification probabilities, columns {@code <modality>:<class>}
     * @return ids, classes and probabilities by modality, a null row where missing
     */
    public static ClassPredictions readUnimodalClassification(Path file) {
        IdCsvTable t = IdCsvTable.read(file);
        Map<String, List<String>> classesOf = new LinkedHashMap<>();
        Map<String, List<String>> columnsOf = new LinkedHashMap<>();
        for (String column : t.columns()) {
            if (column.equals("id")) {
                continue;
            }
            int colon = column.lastIndexOf(':');
            if (colon <= 0 || colon == column.length() - 1) {
                throw new BtwException(file + ": column '" + column + "' is not named <modality>:<class>");
            }
            String modality = column.substring(0, colon);
            classesOf.computeIfAbsent(modality, k -> new ArrayList<>()).add(column.substring(colon + 1));
            columnsOf.computeIfAbsent(modality, k -> new ArrayList<>()).add(column);
        }
        if (classesOf.isEmpty()) {
            throw new BtwException(file + ": no <modality>:<class> columns besides 'id'");
        }
        List<String> classes = classesOf.values().iterator().next();
        Map<String, double[][]> byModality = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : classesOf.entrySet()) {
            String modality = e.getKey();
            if (!new HashSet<>(e.getValue()).equals(new HashSet<>(classes))
                    || e.getValue().size() != classes.size()) {
                throw new BtwException(file + ": mismatched classes: modality '" + modality + "' has " + e.getValue()
                        + ", modality '" + classesOf.keySet().iterator().next() + "' has " + classes);
            }
            double[][] p = new double[t.size()][];
            for (int row = 0; row < p.length; row++) {
                int empty = 0;
                for (String c : classes) {
                    if (t.isEmpty(row, modality + ":" + c)) {
                        empty++;
                    }
                }
                if (empty == classes.size()) {
                    continue;
                }
                if (empty > 0) {
                    throw new BtwException(t.where(row, modality + ":*") + ": some probabilities of modality '"
                            + modality + "' are empty; leave all of them empty when the modality is missing");
                }
                p[row] = new double[classes.size()];
                for (int j = 0; j < classes.size(); j++) {
                    p[row][j] = t.number(row, modality + ":" + classes.get(j), false);
                }
            }
            byModality.put(modality, p);
        }
        return new ClassPredictions(t.ids(), List.copyOf(classes), byModality);
    }

    /**
     * @param file the fused regression predictions ({@code id}, {@code prediction})
     * @param ids the unimodal file's ids
     * @param reference the unimodal file, for messages
     * @return the predictions aligned to {@code ids}
     */
    public static double[] readFusedRegression(Path file, List<String> ids, Path reference) {
        return readColumn(file, "prediction", ids, reference);
    }

    /**
     * @param file the labels ({@code id}, {@code label}), numeric
     * @param ids the unimodal file's ids
     * @param reference the unimodal file, for messages
     * @return the labels aligned to {@code ids}
     */
    public static double[] readLabels(Path file, List<String> ids, Path reference) {
        return readColumn(file, "label", ids, reference);
    }

    /**
     * @param file the fused class probabilities ({@code id}, one column per class, optionally {@code label})
     * @param ids the unimodal file's ids
     * @param classes the unimodal file's classes
     * @param reference the unimodal file, for messages
     * @return probabilities {@code [n][C]} aligned to {@code ids}, in the order of {@code classes}
     */
    public static double[][] readFusedClassification(
            Path file, List<String> ids, List<String> classes, Path reference) {
        IdCsvTable t = IdCsvTable.read(file);
        List<String> own = new ArrayList<>(t.columns());
        own.remove("id");
        own.remove("label");
        if (!new HashSet<>(own).equals(new HashSet<>(classes)) || own.size() != classes.size()) {
            throw new BtwException(
                    file + ": mismatched classes: columns " + own + ", but " + reference + " has classes " + classes);
        }
        int[] rows = t.alignTo(ids, reference);
        double[][] q = new double[ids.size()][classes.size()];
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < classes.size(); j++) {
                q[i][j] = t.number(rows[i], classes.get(j), false);
            }
        }
        return q;
    }

    private static double[] readColumn(Path file, String column, List<String> ids, Path reference) {
        IdCsvTable t = IdCsvTable.read(file);
        t.requireColumn(column);
        int[] rows = t.alignTo(ids, reference);
        double[] v = new double[ids.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.number(rows[i], column, false);
        }
        return v;
    }
}

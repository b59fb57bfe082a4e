package dev.btw.core.weights;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * An immutable table of weights: one row per instance (a string id), one column per modality name. A weight of
 * 0 means the modality is missing for that instance; present modalities always have positive weights. CSV form:
 * a header {@code id,<modality>,...}, then one row per instance.
 */
public final class ModalityWeights {

    private final List<String> ids;
    private final List<String> modalities;
    private Map<String, Integer> row;
    private final Map<String, double[]> columns = new LinkedHashMap<>();

    /**
     * @param ids the instance ids, unique
     * @param columns the weights by modality name, each as long as {@code ids}; copied
     * @throws BtwException on a duplicate id, a length mismatch, or a negative or non-finite weight
     */
    public ModalityWeights(List<String> ids, Map<String, double[]> columns) {
        this(ids, columns, false);
    }

    /** With {@code idsChecked}, the ids come from another table and their index is built only when needed. */
    ModalityWeights(List<String> ids, Map<String, double[]> columns, boolean idsChecked) {
        this.ids = List.copyOf(ids);
        if (!idsChecked) {
            rowIndex();
        }
        for (Map.Entry<String, double[]> e : columns.entrySet()) {
            double[] c = e.getValue();
            if (c.length != this.ids.size()) {
                throw new BtwException("weights of modality '" + e.getKey() + "' have " + c.length + " values for "
                        + this.ids.size() + " instances");
            }
            for (int i = 0; i < c.length; i++) {
                if (!(c[i] >= 0) || Double.isInfinite(c[i])) {
                    throw new BtwException("weight of modality '" + e.getKey() + "' for instance '" + this.ids.get(i)
                            + "' is " + c[i] + "; weights are finite and non-negative");
                }
            }
            this.columns.put(e.getKey(), c.clone());
        }
        this.modalities = List.copyOf(this.columns.keySet());
    }

    /**
     * @return e.g. {@code ModalityWeights[120 instances, mean weight {text=0.71, audio=0.29}]}: the size and the
     *     mean weight per modality over the instances where it is present, not the whole table
     */
    @Override
    public String toString() {
        return "ModalityWeights[" + ShareFormat.count(ids.size(), "instance") + ", mean weight "
                + ShareFormat.of(means()) + "]";
    }

    /** Builds the id index on first use (a table made from a checked id list may never need it). */
    private synchronized Map<String, Integer> rowIndex() {
        if (row == null) {
            Map<String, Integer> index = new HashMap<>(ids.size() * 2);
            for (int i = 0; i < ids.size(); i++) {
                if (index.put(ids.get(i), i) != null) {
                    throw new BtwException("duplicate instance id '" + ids.get(i) + "' in weights");
                }
            }
            row = index;
        }
        return row;
    }

    /**
     * @param ids instance ids
     * @param modalities modality names
     * @return a table of ones (the starting weights of training)
     */
    public static ModalityWeights ones(List<String> ids, List<String> modalities) {
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (String m : modalities) {
            double[] c = new double[ids.size()];
            Arrays.fill(c, 1.0);
            cols.put(m, c);
        }
        return new ModalityWeights(ids, cols);
    }

    /** @return the instance ids, in table order */
    public List<String> ids() {
        return ids;
    }

    /** @return the modality names, in column order */
    public List<String> modalities() {
        return modalities;
    }

    /** @return the number of instances */
    public int size() {
        return ids.size();
    }

    /**
     * @param id an instance id
     * @return whether the table has a row for it
     */
    public boolean contains(String id) {
        return rowIndex().containsKey(id);
    }

    /**
     * @param id an instance id
     * @param modality a modality name
     * @return the weight
     * @throws BtwException for an unknown id or modality
     * @deprecated both arguments are Strings, so a swap compiles: use {@link #weightOf(String, String)} (same
     *     order, named) or the per-instance view {@link #forInstance(String)}
     */
    @Deprecated
    public double get(String id, String modality) {
        return weightOf(id, modality);
    }

    /**
     * The weight of one modality for one instance. The instance comes first, as in the CSV (a row per instance, a
     * column per modality); arguments given the other way round are named as swapped in the error.
     *
     * @param instanceId an instance id, one of {@link #ids()}
     * @param modality a modality name, one of {@link #modalities()}
     * @return the weight, 0 where the modality is missing for the instance
     * @throws BtwException for an unknown instance id or modality, saying which
     */
    public double weightOf(String instanceId, String modality) {
        return columnRef(modality, instanceId)[row(instanceId, modality)];
    }

    /**
     * One instance's row: its weight per modality.
     *
     * @param instanceId an instance id, one of {@link #ids()}
     * @return modality name to weight, in {@link #modalities()} order (0 where missing); unmodifiable
     * @throws BtwException for an unknown instance id
     */
    public Map<String, Double> forInstance(String instanceId) {
        int i = row(instanceId, null);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : columns.entrySet()) {
            out.put(e.getKey(), e.getValue()[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    private int row(String instanceId, String modality) {
        if (instanceId == null) {
            throw new BtwException("instanceId is null; pass one of the table's " + ids.size() + " instance ids");
        }
        Integer i = rowIndex().get(instanceId);
        if (i == null) {
            throw new BtwException("no weights for instance id '" + instanceId + "'" + swapHint(instanceId, modality)
                    + " (the table has " + ids.size() + " instances"
                    + (ids.isEmpty() ? "" : ", e.g. '" + ids.get(0) + "'")
                    + ")");
        }
        return i;
    }

    /** A hint when an instance id given is a modality name (and the modality an instance id). */
    private String swapHint(String instanceId, String modality) {
        boolean idIsModality = columns.containsKey(instanceId);
        boolean modalityIsId = modality != null && rowIndex().containsKey(modality);
        return idIsModality || modalityIsId
                ? ": '" + instanceId + "' is a modality name; the instance id comes first, then the modality"
                : "";
    }

    /**
     * @param modality a modality name
     * @return a copy of its weights, in {@link #ids()} order
     * @throws BtwException for an unknown modality
     */
    public double[] column(String modality) {
        return columnRef(modality).clone();
    }

    private double[] columnRef(String modality) {
        return columnRef(modality, null);
    }

    private double[] columnRef(String modality, String instanceId) {
        if (modality == null) {
            throw new BtwException("modality is null; pass one of " + modalities);
        }
        double[] c = columns.get(modality);
        if (c == null && instanceId != null && rowIndex().containsKey(modality) && columns.containsKey(instanceId)) {
            throw new BtwException("no modality '" + modality + "': it is an instance id and '" + instanceId
                    + "' a modality; the instance id comes first, then the modality");
        }
        if (c == null) {
            throw new BtwException("no weights for modality '" + modality + "'; have " + modalities);
        }
        return c;
    }

    /**
     * @param modality a modality name
     * @return the mean weight over the instances where it is present (weight above 0), NaN if none
     */
    public double mean(String modality) {
        double[] c = columnRef(modality);
        double sum = 0;
        int n = 0;
        for (double v : c) {
            if (v > 0) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** @return {@link #mean(String)} for every modality, by name */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String m : modalities) {
            out.put(m, mean(m));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Writes the table as CSV, atomically (a failure leaves no partial file).
     *
     * @param file the target
     */
    public void writeCsv(Path file) {
        try {
            AtomicFiles.writeText(file, w -> {
                List<String> header = new ArrayList<>();
                header.add("id");
                header.addAll(modalities);
                CSVPrinter printer = new CSVPrinter(
                        w,
                        CSVFormat.DEFAULT
                                .builder()
                                .setRecordSeparator('\n')
                                .setHeader(header.toArray(new String[0]))
                                .build());
                List<double[]> cols = new ArrayList<>(columns.values());
                for (int i = 0; i < ids.size(); i++) {
                    List<Object> values = new ArrayList<>(cols.size() + 1);
                    values.add(ids.get(i));
                    for (double[] c : cols) {
                        values.add(Double.toString(c[i]));
                    }
                    printer.printRecord(values);
                }
                printer.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weights " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a CSV written by {@link #writeCsv(Path)} (or by hand in that form)
     * @return the table
     * @throws BtwException when the file is missing or malformed, naming the row and column
     */
    public static ModalityWeights readCsv(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(r);
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty() || !header.get(0).equals("id")) {
                throw new BtwException(file + ": the first column must be 'id'");
            }
            List<String> modalityNames = header.subList(1, header.size());
            List<String> ids = new ArrayList<>();
            List<List<Double>> values = new ArrayList<>();
            for (int m = 0; m < modalityNames.size(); m++) {
                values.add(new ArrayList<>());
            }
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber() + 1;
                if (rec.size() != header.size()) {
                    throw new BtwException(
                            file + ": row " + line + " has " + rec.size() + " cells, expected " + header.size());
                }
                ids.add(rec.get(0));
                for (int m = 0; m < modalityNames.size(); m++) {
                    String cell = rec.get(m + 1).trim();
                    try {
                        values.get(m).add(Double.parseDouble(cell));
                    } catch (NumberFormatException e) {
                        throw new BtwException(file + ": row " + line + ", column '" + modalityNames.get(m)
                                + "': not a number: '" + cell + "'");
                    }
                }
            }
            Map<String, double[]> cols = new LinkedHashMap<>();
            for (int m = 0; m < modalityNames.size(); m++) {
                cols.put(
                        modalityNames.get(m),
                        values.get(m).stream().mapToDouble(Double::doubleValue).toArray());
            }
            return new ModalityWeights(ids, cols);
        } catch (NoSuchFileException e) {
            throw new BtwException(file + ": no such file");
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new BtwException(file + ": cannot read weights: " + e.getMessage(), e);
        }
    }
}

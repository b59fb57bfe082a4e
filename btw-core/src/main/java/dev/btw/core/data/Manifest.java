package dev.btw.core.data;

import dev.btw.core.BtwException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A manifest: a CSV with a header, one row per instance, holding a unique id, a split, a label and the columns
 * that modalities read. An empty cell means the modality reading that column is missing for that instance.
 * Validation errors name the file, the row (1-based, counting the header as row 1) and the column.
 */
public final class Manifest {

    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> columnIndex;
    private final List<String[]> rows;
    private final List<String> ids;
    private final Map<String, Integer> rowOfId;
    private final Split[] splits;
    private final String labelColumn;

    private Manifest(
            Path file,
            List<String> header,
            List<String[]> rows,
            String idColumn,
            String splitColumn,
            String labelColumn) {
        this.file = file;
        this.header = List.copyOf(header);
        this.columnIndex = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columnIndex.put(header.get(i), i);
        }
        this.rows = rows;
        this.labelColumn = labelColumn;
        int idCol = columnIndex.get(idColumn);
        Integer splitCol = splitColumn == null ? null : columnIndex.get(splitColumn);
        this.ids = new ArrayList<>(rows.size());
        this.rowOfId = new HashMap<>();
        this.splits = new Split[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            String id = row[idCol];
            if (id.isEmpty()) {
                throw error(r, idColumn, "empty id");
            }
            if (rowOfId.put(id, r) != null) {
                throw error(r, idColumn, "duplicate id '" + id + "' (first at row " + (rowOfId.get(id) + 2) + ")");
            }
            ids.add(id);
            Split s = splitCol == null ? Split.TEST : Split.parseOrNull(row[splitCol]);
            if (s == null) {
                throw error(r, splitColumn, "bad split '" + row[splitCol] + "' (expected train, val or test)");
            }
            splits[r] = s;
        }
    }

    /**
     * Reads and validates a manifest.
     *
     * @param file the CSV file
     * @param idColumn the id column
     * @param splitColumn the split column
     * @param labelColumn the label column
     * @param required further columns that must exist (those the modalities read)
     * @return the manifest
     * @throws BtwException when the file is missing or unreadable, a column is missing, an id is empty or
     *     repeated, or a split value is unknown
     */
    public static Manifest read(
            Path file, String idColumn, String splitColumn, String labelColumn, Collection<String> required) {
        return read(file, idColumn, splitColumn, labelColumn, required, true);
    }

    /**
     * Reads new data to predict: the id column and the modality columns are required; a split column, when
     * present, is validated, and every row counts as {@link Split#TEST} when it is absent; a label column is
     * optional.
     *
     * @param file the CSV file
     * @param idColumn the id column
     * @param splitColumn the split column, used when present
     * @param labelColumn the label column, used when present
     * @param required the columns the modalities read
     * @return the manifest
     * @throws BtwException as {@link #read(Path, String, String, String, Collection)} does
     */
    public static Manifest readUnlabelled(
            Path file, String idColumn, String splitColumn, String labelColumn, Collection<String> required) {
        return read(file, idColumn, splitColumn, labelColumn, required, false);
    }

    private static Manifest read(
            Path file,
            String idColumn,
            String splitColumn,
            String labelColumn,
            Collection<String> required,
            boolean labelled) {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true)
                .build();
        try (Reader reader = withoutByteOrderMark(Files.newBufferedReader(file, StandardCharsets.UTF_8));
                CSVParser parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty() || header.stream().allMatch(String::isEmpty)) {
                throw new BtwException(
                        file + ": the manifest is empty (no header line, no rows); expected a header " + "such as "
                                + idColumn + "," + splitColumn + "," + labelColumn + ",... and one row per instance");
            }
            requireDistinct(file, header);
            String split = labelled || header.contains(splitColumn) ? splitColumn : null;
            String label = labelled || header.contains(labelColumn) ? labelColumn : null;
            List<String> needed = new ArrayList<>(List.of(idColumn));
            if (split != null) {
                needed.add(split);
            }
            if (label != null) {
                needed.add(label);
            }
            needed.addAll(required);
            for (String col : needed) {
                if (!header.contains(col)) {
                    throw new BtwException(
                            file + ": no column '" + col + "' (columns: " + String.join(", ", header) + ")");
                }
            }
            List<String[]> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != header.size()) {
                    throw new BtwException(file + ": row " + (record.getRecordNumber() + 1) + " has " + record.size()
                            + " cells, the header has " + header.size());
                }
                rows.add(record.values());
            }
            if (rows.isEmpty()) {
                throw new BtwException(file + ": the manifest has a header but no rows (no instances)");
            }
            return new Manifest(file, header, rows, idColumn, split, label);
        } catch (NoSuchFileException e) {
            throw new BtwException("manifest not found: " + file);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BtwException(file + ": cannot read manifest: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new BtwException(
                    file + ": cannot read manifest: " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Skips a UTF-8 byte-order mark (spreadsheets save "CSV UTF-8" with one); it would otherwise stick to the first
     * column's name, invisibly.
     */
    private static Reader withoutByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** A column name repeated in the header is an error naming both positions (1-based). */
    private static void requireDistinct(Path file, List<String> header) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            Integer first = seen.putIfAbsent(header.get(i), i);
            if (first != null) {
                throw new BtwException(file + ": column '" + header.get(i) + "' appears twice in the header, as "
                        + "columns " + (first + 1) + " and " + (i + 1) + "; rename one of them");
            }
        }
    }

    /** @return the manifest file */
    public Path file() {
        return file;
    }

    /** @return the folder that relative file paths in cells are resolved against */
    public Path baseDir() {
        return file.toAbsolutePath().getParent();
    }

    /** @return the column names in file order */
    public List<String> columns() {
        return header;
    }

    /** @return the number of instances */
    public int size() {
        return rows.size();
    }

    /** @return the instance ids in file order */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /**
     * @param row a row index (0-based, not counting the header)
     * @return that row's split
     */
    public Split split(int row) {
        return splits[row];
    }

    /**
     * @param id an instance id
     * @return its row index, or -1
     */
    public int rowOf(String id) {
        Integer r = rowOfId.get(id);
        return r == null ? -1 : r;
    }

    /**
     * @param row a row index
     * @param column a column name
     * @return the cell's text, or {@code null} when empty (a missing modality)
     */
    public String cell(int row, String column) {
        Integer c = columnIndex.get(column);
        if (c == null) {
            throw new BtwException(file + ": no column '" + column + "'");
        }
        String v = rows.get(row)[c];
        return v.isEmpty() ? null : v;
    }

    /**
     * @param row a row index
     * @return the label cell's text, or {@code null} when empty
     */
    public String label(int row) {
        return labelColumn == null ? null : cell(row, labelColumn);
    }

    /** @return whether the manifest has a label column */
    public boolean hasLabels() {
        return labelColumn != null;
    }

    /**
     * Reads a numeric cell.
     *
     * @param row a row index
     * @param column a column name
     * @return the value, or NaN when the cell is empty
     * @throws BtwException when the cell is not a finite number
     */
    public double number(int row, String column) {
        String v = cell(row, column);
        if (v == null) {
            return Double.NaN;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error(row, column, "not a number: '" + v + "'");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw error(row, column, "not a finite number: '" + v + "'");
        }
        return d;
    }

    /**
     * @param split a split
     * @return the row indices of that split, in file order
     */
    public int[] rowsOf(Split split) {
        return IntStream.range(0, splits.length).filter(r -> splits[r] == split).toArray();
    }

    /** @return the number of instances per split */
    public Map<Split, Integer> splitSizes() {
        Map<Split, Integer> m = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            m.put(s, rowsOf(s).length);
        }
        return m;
    }

    /**
     * Builds an error naming this manifest's file, the row as a user counts it, and the column.
     *
     * @param row a row index (0-based)
     * @param column the column at fault
     * @param what what is wrong
     * @return the exception, to throw
     */
    public BtwException error(int row, String column, String what) {
        return new BtwException(file + ": row " + (row + 2) + ", column '" + column + "': " + what);
    }
}

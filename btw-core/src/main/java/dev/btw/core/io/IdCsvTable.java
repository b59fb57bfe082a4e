package dev.btw.core.io;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header whose first or any column is {@code id} (unique instance ids), read whole as text.
 * Cells are parsed on demand; every error names the file, the line and the column.
 */
public final class IdCsvTable {

    private final Path file;
    private final List<String> columns;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> rowOfId = new HashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();

    private IdCsvTable(Path file, List<String> header) {
        this.file = file;
        this.columns = List.copyOf(header);
        for (int c = 0; c < header.size(); c++) {
            if (columnIndex.put(header.get(c), c) != null) {
                throw new BtwException(file + ": duplicate column '" + header.get(c) + "'");
            }
        }
    }

    /**
     * @param file the CSV file
     * @return the table
     * @throws BtwException when the file is missing, has no {@code id} column, a duplicate id, or a row with the
     *     wrong number of cells
     */
    public static IdCsvTable read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true)
                        .build()
                        .parse(r)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new BtwException(file + ": empty file, expected a header with an 'id' column");
            }
            IdCsvTable t = new IdCsvTable(file, header);
            Integer idColumn = t.columnIndex.get("id");
            if (idColumn == null) {
                throw new BtwException(file + ": no 'id' column in the header " + header);
            }
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber() + 1;
                if (rec.size() == 1 && rec.get(0).isEmpty() && header.size() > 1) {
                    continue; // a blank line
                }
                if (rec.size() != header.size()) {
                    throw new BtwException(
                            file + ": line " + line + " has " + rec.size() + " cells, the header " + header.size());
                }
                String[] cells = rec.values();
                String id = cells[idColumn];
                if (id.isEmpty()) {
                    throw new BtwException(file + ": line " + line + ": empty id");
                }
                if (t.rowOfId.put(id, t.ids.size()) != null) {
                    throw new BtwException(file + ": line " + line + ": duplicate id '" + id + "'");
                }
                t.ids.add(id);
                t.rows.add(cells);
                t.lines.add(line);
            }
            return t;
        } catch (NoSuchFileException e) {
            throw new BtwException(file + ": no such file");
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new BtwException(file + ": cannot read CSV: " + e.getMessage(), e);
        }
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    /** @return every header name, {@code id} included, in file order */
    public List<String> columns() {
        return columns;
    }

    /** @return the ids, in file order */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /** @return the number of data rows */
    public int size() {
        return ids.size();
    }

    /**
     * @param column a header name
     * @throws BtwException when the table lacks it
     */
    public void requireColumn(String column) {
        if (!columnIndex.containsKey(column)) {
            throw new BtwException(file + ": no '" + column + "' column in the header " + columns);
        }
    }

    /**
     * @param row a data row index (0-based, file order)
     * @param column a header name
     * @param allowEmpty whether an empty cell is allowed (it then gives NaN)
     * @return the number
     * @throws BtwException for a missing column, a non-numeric cell, an explicit NaN or infinity, or a disallowed
     *     empty cell, naming the line and column
     */
    public double number(int row, String column, boolean allowEmpty) {
        requireColumn(column);
        String cell = rows.get(row)[columnIndex.get(column)].trim();
        if (cell.isEmpty()) {
            if (allowEmpty) {
                return Double.NaN;
            }
            throw new BtwException(where(row, column) + ": empty cell");
        }
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new BtwException(where(row, column) + ": not a number: '" + cell + "'");
        }
        if (!Double.isFinite(v)) {
            throw new BtwException(where(row, column) + ": " + cell + " is not allowed"
                    + (allowEmpty ? " (leave the cell empty for a missing value)" : ""));
        }
        return v;
    }

    /**
     * @param row a data row index
     * @param column a header name
     * @return whether the cell is empty
     */
    public boolean isEmpty(int row, String column) {
        requireColumn(column);
        return rows.get(row)[columnIndex.get(column)].trim().isEmpty();
    }

    /**
     * The row of each given id, checking that the table has exactly these ids.
     *
     * @param expectedIds the ids of the reference table
     * @param reference the reference file's name, for messages
     * @return for each expected id, its row index here
     * @throws BtwException for an id here that the reference lacks, or an expected id missing here
     */
    public int[] alignTo(List<String> expectedIds, Path reference) {
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < expectedIds.size(); i++) {
            expected.put(expectedIds.get(i), i);
        }
        for (int row = 0; row < ids.size(); row++) {
            if (!expected.containsKey(ids.get(row))) {
                throw new BtwException(file + ": line " + lines.get(row) + ": unknown id '" + ids.get(row)
                        + "' (not in " + reference + ")");
            }
        }
        int[] out = new int[expectedIds.size()];
        for (int i = 0; i < out.length; i++) {
            Integer row = rowOfId.get(expectedIds.get(i));
            if (row == null) {
                throw new BtwException(
                        file + ": no row for id '" + expectedIds.get(i) + "' (present in " + reference + ")");
            }
            out[i] = row;
        }
        return out;
    }

    /**
     * @param row a data row index
     * @param column a header name
     * @return "file: line L, column 'c'"
     */
    public String where(int row, String column) {
        return file + ": line " + lines.get(row) + ", column '" + column + "'";
    }
}

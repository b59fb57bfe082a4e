package dev.btw.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Collects manifest rows in memory and writes them as CSV (RFC 4180, {@code \n} line ends). */
public final class ManifestTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param header the column names: {@code id}, {@code split}, {@code label}, then the modality columns */
    public ManifestTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /**
     * @param cells one cell per header column
     * @return this
     */
    public ManifestTable add(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** @return the number of rows */
    public int size() {
        return rows.size();
    }

    /**
     * @param file where to write
     * @throws UncheckedIOException on failure
     */
    public void write(Path file) {
        CSVFormat format = CSVFormat.RFC4180.builder().setRecordSeparator('\n').build();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter p = new CSVPrinter(w, format)) {
            p.printRecord(header);
            for (List<String> r : rows) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param v a number
     * @return it as written in manifests: integers without a decimal point, others in shortest form
     */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}

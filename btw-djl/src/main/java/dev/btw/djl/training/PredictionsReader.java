package dev.btw.djl.training;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads a predictions CSV written by {@link Predictions#writeCsv} back, aligned with a split's ids. */
public final class PredictionsReader {

    private PredictionsReader() {}

    /**
     * @param file a predictions CSV ({@code id}, then {@code prediction} or one column per class)
     * @param ids the split's ids, in the order the result must follow
     * @param task the task
     * @param classes the class names (classification), in column order
     * @return the predictions, rows aligned with {@code ids}
     */
    public static Predictions read(Path file, List<String> ids, Task task, List<String> classes) {
        Map<String, double[]> byId = new HashMap<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .build()
                        .parse(r)) {
            int width = task == Task.REGRESSION ? 1 : classes.size();
            for (CSVRecord rec : p) {
                double[] v = new double[width];
                for (int c = 0; c < width; c++) {
                    v[c] = Double.parseDouble(rec.get(c + 1));
                }
                byId.put(rec.get(0), v);
            }
        } catch (IOException | RuntimeException e) {
            throw new BtwException("cannot read cached predictions " + file + ": " + e.getMessage(), e);
        }
        double[][] out = new double[ids.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] v = byId.get(ids.get(i));
            out[i] = v == null ? new double[] {Double.NaN} : v;
        }
        return new Predictions(ids, out);
    }
}

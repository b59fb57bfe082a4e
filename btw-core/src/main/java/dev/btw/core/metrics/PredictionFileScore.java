package dev.btw.core.metrics;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Scores a predictions file of a run directory ({@code id}, then {@code prediction} or one probability column
 * per class, then {@code label}) with the task's metrics.
 */
public final class PredictionFileScore {

    private PredictionFileScore() {}

    /**
     * @param file a predictions CSV with a label column
     * @return the metrics: regression ones when there is a {@code prediction} column, classification ones otherwise
     * @throws BtwException when the file is missing, has no label column, or holds a bad cell
     */
    public static Map<String, Double> score(Path file) {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .build();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains("label")) {
                throw new BtwException(file + ": no 'label' column to score against");
            }
            List<CSVRecord> rows = parser.getRecords();
            if (header.contains("prediction")) {
                double[] y = new double[rows.size()];
                double[] p = new double[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    y[i] = number(file, rows.get(i), "label");
                    p[i] = number(file, rows.get(i), "prediction");
                }
                return RegressionMetrics.compute(y, p);
            }
            List<String> classes = new ArrayList<>(header);
            classes.remove("id");
            classes.remove("label");
            classes.remove("no_modality"); // btw predict's flag of rows without any modality
            int[] y = new int[rows.size()];
            double[][] prob = new double[rows.size()][classes.size()];
            for (int i = 0; i < rows.size(); i++) {
                y[i] = classes.indexOf(rows.get(i).get("label"));
                if (y[i] < 0) {
                    throw new BtwException(file + ": line " + (i + 2) + ": label '"
                            + rows.get(i).get("label") + "' is not one of the class columns " + classes);
                }
                for (int c = 0; c < classes.size(); c++) {
                    prob[i][c] = number(file, rows.get(i), classes.get(c));
                }
            }
            return ClassificationMetrics.compute(y, prob, true);
        } catch (NoSuchFileException e) {
            throw new BtwException("predictions file not found: " + file);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BtwException(file + ": cannot read predictions: " + e.getMessage(), e);
        }
    }

    private static double number(Path file, CSVRecord r, String column) {
        try {
            return Double.parseDouble(r.get(column));
        } catch (NumberFormatException e) {
            throw new BtwException(file + ": line " + (r.getRecordNumber() + 1) + ", column '" + column
                    + "': not a number: '" + r.get(column) + "'");
        }
    }
}

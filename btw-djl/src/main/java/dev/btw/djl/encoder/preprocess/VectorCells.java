package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a precomputed feature vector from a manifest cell: the numbers themselves ({@code "0.1 0.2"},
 * {@code "[0.1, 0.2]"}, {@code "0.1;0.2"}), or a path to a {@code .npy} or {@code .csv} file. A file holding a
 * sequence [T, d] (the CMU-MOSI/MOSEI form: one row per time step) is pooled over time (mean, or max).
 */
public final class VectorCells {

    private VectorCells() {}

    /**
     * @param cell the cell as written in the manifest
     * @param base the folder relative paths are resolved against
     * @return the vector
     * @throws BtwException when the cell holds neither numbers nor a readable vector file
     */
    public static float[] read(String cell, Path base) {
        return read(cell, base, false);
    }

    /**
     * @param cell the cell as written in the manifest
     * @param base the folder relative paths are resolved against
     * @param max pool a sequence by its maximum over time instead of its mean
     * @return the vector
     * @throws BtwException when the cell holds neither numbers nor a readable vector file
     */
    public static float[] read(String cell, Path base, boolean max) {
        String c = cell.strip();
        String lower = c.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy")) {
            NpyReader.Array a = NpyReader.read(base.resolve(c));
            return a.shape().length <= 1 ? a.data() : poolRows(a.data(), a.shape()[0], max);
        }
        if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
            return readCsv(base.resolve(c), max);
        }
        return parse(c, "cell");
    }

    private static float[] readCsv(Path file, boolean max) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BtwException("cannot read vector file " + file + ": " + e.getMessage(), e);
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                rows.add(parse(l, "line"));
            } catch (BtwException e) {
                if (rows.isEmpty() && i == 0) {
                    continue; // a header line
                }
                throw new BtwException("vector file " + file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            throw new BtwException("vector file " + file + " holds no numbers");
        }
        int d = rows.get(0).length;
        float[] all = new float[rows.size() * d];
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).length != d) {
                throw new BtwException("vector file " + file + ": rows of different lengths");
            }
            System.arraycopy(rows.get(r), 0, all, r * d, d);
        }
        return poolRows(all, rows.size(), max);
    }

    private static float[] parse(String text, String what) {
        String t = text.replace("[", " ").replace("]", " ").strip();
        if (t.isEmpty()) {
            throw new BtwException("empty vector");
        }
        String[] parts = t.split("[\\s,;]+");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new BtwException("the " + what + " is neither a vector nor a .npy/.csv path: '"
                        + (parts[i].length() > 40 ? parts[i].substring(0, 40) + "..." : parts[i]) + "'");
            }
        }
        return out;
    }

    private static float[] poolRows(float[] data, int rows, boolean max) {
        int d = data.length / rows;
        float[] v = new float[d];
        if (max) {
            System.arraycopy(data, 0, v, 0, d);
            for (int r = 1; r < rows; r++) {
                for (int j = 0; j < d; j++) {
                    v[j] = Math.max(v[j], data[r * d + j]);
                }
            }
            return v;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                v[j] += data[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            v[j] /= rows;
        }
        return v;
    }
}

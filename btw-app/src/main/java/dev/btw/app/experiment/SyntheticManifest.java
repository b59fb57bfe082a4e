package dev.btw.app.experiment;

import dev.btw.core.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A generated regression data set of any size: one {@code .npy} matrix of precomputed embeddings per modality, a
 * manifest and a config that reads them with {@code encoder: vectors}. It costs no encoder, so it measures the
 * store and training alone.
 */
public final class SyntheticManifest {

    private SyntheticManifest() {}

    /**
     * Writes {@code manifest.csv}, one {@code m<j>.npy} per modality and {@code config.yaml}. The features
     * are standard normal; the label is the sum of every modality's first feature plus N(0, 0.1^2); splits are
     * 80/10/10 by row. {@code btw bench scale} and the tests train on it.
     *
     * @param n rows
     * @param dims feature width per modality
     * @param work the folder to write into
     * @param seed the generator's seed
     * @return the config file
     */
    public static Path write(int n, int[] dims, Path work, long seed) {
        try {
            Files.createDirectories(work);
            double[] y = new double[n];
            StringBuilder modalities = new StringBuilder();
            for (int j = 0; j < dims.length; j++) {
                writeMatrix(work.resolve("m" + j + ".npy"), n, dims[j], new SplittableRandom(seed * 31 + j), y);
                modalities
                        .append("  m")
                        .append(j)
                        .append(": { encoder: vectors, matrix: m")
                        .append(j)
                        .append(".npy }\n");
            }
            SplittableRandom noise = new SplittableRandom(seed * 31 + dims.length);
            try (BufferedWriter w = Files.newBufferedWriter(work.resolve("manifest.csv"), StandardCharsets.UTF_8)) {
                w.write("id,split,label\n");
                for (int i = 0; i < n; i++) {
                    int s = i % 10;
                    w.write("i" + i + "," + (s < 8 ? "train" : s == 8 ? "val" : "test") + ","
                            + (float) (y[i] + 0.1 * noise.nextGaussian()) + "\n");
                }
            }
            Path config = work.resolve("config.yaml");
            AtomicFiles.writeString(
                    config,
                    "task: regression\ndata: { manifest: manifest.csv }\nmodalities:\n" + modalities
                            + "encode: { store: features }\n");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark data in " + work + ": " + e.getMessage(), e);
        }
    }

    /** Streams an [n, d] float32 .npy of standard-normal values; adds each row's first value to {@code y}. */
    private static void writeMatrix(Path file, int n, int d, SplittableRandom random, double[] y) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            out.write(head.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ByteBuffer row = ByteBuffer.allocate(4 * d).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                row.clear();
                for (int c = 0; c < d; c++) {
                    float v = (float) random.nextGaussian();
                    row.putFloat(v);
                    if (c == 0) {
                        y[i] += v;
                    }
                }
                out.write(row.array());
            }
        }
    }
}

package dev.btw.djl.encoder;

import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.preprocess.NpyMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Precomputed vectors held as the rows of one memory-mapped {@code .npy} matrix ({@link NpyMatrix}): each
 * instance's input is its row number in the file (as text), chosen by the feature store's cell reader from the
 * manifest's order or a companion ids file. float16 files are widened to float32. The fingerprint covers the width
 * and the value type; which rows changed is the feature store's business (each instance's key digests the file's
 * size, modification time and the row).
 */
public final class MatrixEncoder implements Encoder {

    private final String name;
    private final NpyMatrix matrix;

    /**
     * @param name the encoder's name
     * @param matrix the matrix, already validated
     */
    public MatrixEncoder(String name, NpyMatrix matrix) {
        this.name = name;
        this.matrix = matrix;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return matrix.width();
    }

    @Override
    public String fingerprint() {
        return Sha256.ofString(
                        "precomputed-matrix;dimension=" + matrix.width() + ";type=" + (matrix.isHalf() ? "f2" : "f4"))
                .substring(0, 16);
    }

    @Override
    public List<float[]> encode(List<EncoderInput> batch) {
        List<float[]> out = new ArrayList<>(batch.size());
        for (EncoderInput in : batch) {
            int row;
            try {
                row = Integer.parseInt(in.value());
            } catch (NumberFormatException e) {
                throw new EncoderException(
                        name, in.id(), "not a row number of " + matrix.file() + ": '" + in.value() + "'");
            }
            if (row < 0 || row >= matrix.rows()) {
                throw new EncoderException(
                        name, in.id(), "row " + row + " is outside " + matrix.file() + " (" + matrix.rows() + " rows)");
            }
            // through the channel: each row is read once here, and mapped pages would stay resident (issue 23)
            out.add(matrix.readRow(row));
        }
        return out;
    }

    @Override
    public void close() {
        matrix.closeReads();
    }
}

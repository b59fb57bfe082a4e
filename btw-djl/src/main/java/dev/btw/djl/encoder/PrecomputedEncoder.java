package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.preprocess.VectorCells;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vectors computed elsewhere, read from the manifest cell itself or from the {@code .npy}/{@code .csv} file it names
 * (the form in which CMU-MOSI/MOSEI-style features are distributed); sequences [T, d] are pooled over time (mean by
 * default, or max).
 * The fingerprint covers the dimension and the pooling; a changed cell, or a changed file (size or modification
 * time), is re-encoded by the feature store through the instance's key.
 */
public final class PrecomputedEncoder implements Encoder {

    private final String name;
    private final int dimension;
    private final Path base;
    private final boolean max;

    /**
     * @param name the encoder's name
     * @param dimension the vectors' length
     * @param base the folder relative paths in cells are resolved against (the manifest's)
     */
    public PrecomputedEncoder(String name, int dimension, Path base) {
        this(name, dimension, base, false);
    }

    /**
     * @param name the encoder's name
     * @param dimension the vectors' length
     * @param base the folder relative paths in cells are resolved against (the manifest's)
     * @param max pool sequences by their maximum over time instead of their mean
     */
    public PrecomputedEncoder(String name, int dimension, Path base, boolean max) {
        this.name = name;
        this.dimension = dimension;
        this.base = base;
        this.max = max;
    }

    /**
     * Creates an encoder whose dimension is that of a sample cell.
     *
     * @param name the encoder's name
     * @param sampleCell a non-empty cell of the modality
     * @param base the folder relative paths are resolved against
     * @return the encoder
     */
    public static PrecomputedEncoder probe(String name, String sampleCell, Path base) {
        return probe(name, sampleCell, base, false);
    }

    /**
     * Creates an encoder whose dimension is that of a sample cell.
     *
     * @param name the encoder's name
     * @param sampleCell a non-empty cell of the modality
     * @param base the folder relative paths are resolved against
     * @param max pool sequences by their maximum over time instead of their mean
     * @return the encoder
     */
    public static PrecomputedEncoder probe(String name, String sampleCell, Path base, boolean max) {
        return new PrecomputedEncoder(name, VectorCells.read(sampleCell, base, max).length, base, max);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String fingerprint() {
        return Sha256.ofString("precomputed;dimension=" + dimension + ";pool=" + (max ? "max" : "mean"))
                .substring(0, 16);
    }

    @Override
    public List<float[]> encode(List<EncoderInput> batch) {
        List<float[]> out = new ArrayList<>(batch.size());
        for (EncoderInput in : batch) {
            float[] v;
            try {
                v = VectorCells.read(in.value(), base, max);
            } catch (BtwException e) {
                throw new EncoderException(name, in.id(), e.getMessage());
            }
            if (v.length != dimension) {
                throw new EncoderException(
                        name,
                        in.id(),
                        "vector has " + v.length + " values, expected " + dimension + " (as the first instance's)");
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public void close() {}
}

package dev.btw.djl.encoder;

import java.util.List;

/**
 * Turns the manifest cells of one modality into one float vector per instance. Implementations are safe to call
 * from several threads at once (each thread gets its own DJL predictor).
 */
public interface Encoder extends AutoCloseable {

    /** @return the encoder's name, as in messages and the feature store */
    String name();

    /** @return the length of every vector it returns */
    int dimension();

    /**
     * @return a short hash of everything that changes the vectors (model files and preprocessing settings); the
     *     feature store keys cached vectors by it
     */
    String fingerprint();

    /**
     * Encodes a batch.
     *
     * @param batch the instances, none missing (an empty cell is a missing modality and never reaches here)
     * @return one vector of {@link #dimension()} floats per instance, in order
     * @throws EncoderException when an instance cannot be encoded; it names the encoder, the instance and shapes
     */
    List<float[]> encode(List<EncoderInput> batch);

    /** Releases the model and its predictors. */
    @Override
    void close();
}

package dev.btw.app.store;

import dev.btw.core.BtwException;
import dev.btw.core.BtwInternalException;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.PrecomputedEncoder;
import dev.btw.djl.encoder.TabularEncoder;
import java.util.List;

/**
 * The check every encoded vector passes before it is stored or predicted on: a NaN or an infinity is an error
 * naming the modality, the instance and the position, never a value that spreads into the standardisation. From
 * precomputed vectors or tabular columns it is bad input; from a model it is an internal failure.
 */
public final class FiniteVectors {

    private FiniteVectors() {}

    /**
     * @param modality the modality (for the message)
     * @param encoder the encoder that produced the vectors (decides bad input or internal failure)
     * @param inputs the inputs, aligned with {@code vectors}
     * @param vectors the encoded vectors
     */
    public static void require(String modality, Encoder encoder, List<EncoderInput> inputs, List<float[]> vectors) {
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j])) {
                    String msg = "modality " + modality + ", instance "
                            + inputs.get(i).id() + ": encoder " + encoder.name() + " gave " + v[j] + " at position " + j
                            + " of " + v.length;
                    if (encoder instanceof PrecomputedEncoder || encoder instanceof TabularEncoder) {
                        throw new BtwException(msg);
                    }
                    throw new BtwInternalException(msg);
                }
            }
        }
    }
}

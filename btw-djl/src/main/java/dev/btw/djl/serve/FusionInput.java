package dev.btw.djl.serve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance to predict: an embedding per modality, keyed by modality name. A modality left out (or given as
 * null) is missing for this instance and is masked exactly as in training.
 */
public final class FusionInput {

    private final Map<String, float[]> embeddings = new LinkedHashMap<>();

    /**
     * @param modality the modality's name
     * @param embedding its embedding, of the width the model expects, or null when missing
     * @return this
     */
    public FusionInput put(String modality, float[] embedding) {
        embeddings.put(modality, embedding);
        return this;
    }

    /** @return the embeddings given, by modality name */
    public Map<String, float[]> embeddings() {
        return Collections.unmodifiableMap(embeddings);
    }
}

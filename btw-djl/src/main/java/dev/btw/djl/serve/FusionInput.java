package dev.btw.djl.serve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance to predict: an embedding per modality, keyed by modality name, or, for a modality whose encoder is
 * inside an end-to-end model, its raw value (the text, or an image file's path). A modality left out (or given as
 * null) is missing for this instance and is masked exactly as in training.
 */
public final class FusionInput {

    private final Map<String, float[]> embeddings = new LinkedHashMap<>();
    private final Map<String, String> raw = new LinkedHashMap<>();

    /**
     * @param modality the name of a modality whose encoder is inside the model ({@code btw export --end-to-end})
     * @param value its raw value: the text for a text encoder, an image file's path for an image encoder; null
     *     when missing
     * @return this
     */
    public FusionInput putRaw(String modality, String value) {
        checkModality(modality);
        raw.put(modality, value);
        return this;
    }

    /** @return the raw values given, by modality name */
    public Map<String, String> raw() {
        return Collections.unmodifiableMap(raw);
    }

    /**
     * @param modality the modality's name
     * @param embedding its embedding, of the width the model expects, or null when missing
     * @return this
     */
    public FusionInput put(String modality, float[] embedding) {
        checkModality(modality);
        embeddings.put(modality, embedding);
        return this;
    }

    private void checkModality(String modality) {
        if (modality == null) {
            throw new IllegalArgumentException("modality is null: pass the modality's name");
        }
    }

    /** @return the embeddings given, by modality name */
    public Map<String, float[]> embeddings() {
        return Collections.unmodifiableMap(embeddings);
    }
}

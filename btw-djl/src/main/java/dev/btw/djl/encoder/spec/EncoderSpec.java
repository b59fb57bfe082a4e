package dev.btw.djl.encoder.spec;

import dev.btw.core.BtwException;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.io.Sha256;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed encoder specification ({@code models/<name>/spec.yaml}); read one with {@link SpecReader}.
 *
 * @param name the encoder's name (its folder's name)
 * @param folder the spec folder
 * @param modality what it encodes: text, audio, image, or any other word
 * @param engine the DJL engine
 * @param files the files it needs, by key; {@code model} is the main model file
 * @param inputs the model's inputs, in order
 * @param preprocess the preprocessing
 * @param pooling the pooling of the model's output
 * @param dimension the length of the vector per instance
 * @param output the name of the model output to pool, or empty for the first
 * @param licence the licence of the model file
 * @param trainable whether the model loads with trainable parameters (TorchScript only; frozen by default)
 */
public record EncoderSpec(
        String name,
        Path folder,
        String modality,
        Engine engine,
        Map<String, PinnedFile> files,
        List<InputSpec> inputs,
        Preprocess preprocess,
        Pooling pooling,
        int dimension,
        String output,
        String licence,
        boolean trainable) {

    /** The key of the main model file in {@link #files()}. */
    public static final String MODEL = "model";

    /** Copies the collections. */
    public EncoderSpec {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        inputs = List.copyOf(inputs);
    }

    /**
     * @param key a key of {@link #files()}
     * @return that asset
     * @throws BtwException when the spec has no such file
     */
    public PinnedFile file(String key) {
        PinnedFile a = files.get(key);
        if (a == null) {
            throw new BtwException("encoder " + name + ": spec has no file '" + key + "' under files");
        }
        return a;
    }

    /**
     * The encoder's fingerprint: a hash of every model file's SHA-256 and of all settings that change the vectors
     * (preprocessing, pooling, output, dimension). Two specs with equal fingerprints give equal vectors.
     *
     * @return 16 hex digits
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder("engine=").append(engine);
        new TreeMap<>(files)
                .forEach((k, a) -> sb.append(";file.").append(k).append('=').append(a.sha256()));
        sb.append(";preprocess=").append(preprocess == null ? "none" : preprocess.canonical());
        sb.append(";pooling=").append(pooling.canonical()).append(";output=").append(output);
        sb.append(";dimension=").append(dimension);
        return Sha256.ofString(sb.toString()).substring(0, 16);
    }

    /** @return a copy that loads with trainable parameters (TorchScript fine-tuning) */
    public EncoderSpec withTrainable() {
        return new EncoderSpec(
                name, folder, modality, engine, files, inputs, preprocess, pooling, dimension, output, licence, true);
    }
}

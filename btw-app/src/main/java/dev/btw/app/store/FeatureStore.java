package dev.btw.app.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import dev.btw.core.io.PathNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A feature-store folder. Read cached vectors with {@link #read(String)}; fill it with {@link StoreWriter} (or
 * {@code btw encode}).
 *
 * <pre>{@code
 * FeatureStore store = FeatureStore.open(Path.of("features"));
 * ModalityFeatures audio = store.read("audio");
 * float[] v = audio.row(audio.indexOf("id42"));
 * }</pre>
 */
public final class FeatureStore {

    static final String CURRENT = "current.json";
    static final String ENCODER = "encoder.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path dir;

    private FeatureStore(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dir the store folder (need not exist yet)
     * @return the store
     */
    public static FeatureStore open(Path dir) {
        return new FeatureStore(dir);
    }

    /** @return the store folder */
    public Path dir() {
        return dir;
    }

    /** @return the names of the modalities that have been encoded */
    public List<String> modalities() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p.resolve(CURRENT)))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * @param modality a modality name
     * @return the fingerprint last encoded for it, or null
     */
    public String currentFingerprint(String modality) {
        Path f = PathNames.child(dir, "modality", modality).resolve(CURRENT);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readTree(f.toFile()).get("fingerprint").asText();
        } catch (IOException e) {
            throw new BtwException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the vectors last encoded for a modality.
     *
     * @param modality a modality name
     * @return its vectors, memory-mapped
     * @throws BtwException when the modality has not been encoded
     */
    public ModalityFeatures read(String modality) {
        String fp = currentFingerprint(modality);
        if (fp == null) {
            throw new BtwException("feature store " + dir + " has no modality '" + modality + "' (run btw encode)");
        }
        return read(modality, fp);
    }

    /**
     * Reads the vectors of a modality for one encoder fingerprint (finished or not).
     *
     * @param modality a modality name
     * @param fingerprint an encoder fingerprint
     * @return its vectors, memory-mapped
     */
    public ModalityFeatures read(String modality, String fingerprint) {
        Path folder = folder(modality, fingerprint);
        Path meta = folder.resolve(ENCODER);
        if (!Files.isRegularFile(meta)) {
            throw new BtwException(
                    "feature store " + dir + ": no encoder " + fingerprint + " for modality '" + modality + "'");
        }
        try {
            var node = JSON.readTree(meta.toFile());
            int dim = node.get("dimension").asInt();
            return new ModalityFeatures(
                    modality, node.get("encoder").asText(), fingerprint, dim, Segment.list(folder, dim, false));
        } catch (IOException e) {
            throw new BtwException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param modality a modality name
     * @return the width of its current vectors, read from the store's bookkeeping alone
     * @throws BtwException when the modality has not been encoded
     */
    public int dimension(String modality) {
        String fp = currentFingerprint(modality);
        if (fp == null) {
            throw new BtwException("feature store " + dir + " has no modality '" + modality + "' (run btw encode)");
        }
        Path meta = folder(modality, fp).resolve(ENCODER);
        try {
            return JSON.readTree(meta.toFile()).get("dimension").asInt();
        } catch (IOException e) {
            throw new BtwException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }

    Path folder(String modality, String fingerprint) {
        return PathNames.child(dir, "modality", modality).resolve(fingerprint);
    }

    void writeEncoderInfo(String modality, String fingerprint, String encoder, int dimension) {
        Path meta = folder(modality, fingerprint).resolve(ENCODER);
        if (Files.isRegularFile(meta)) {
            return;
        }
        ObjectNode n = JSON.createObjectNode()
                .put("modality", modality)
                .put("encoder", encoder)
                .put("fingerprint", fingerprint)
                .put("dimension", dimension);
        AtomicFiles.writeString(meta, n.toPrettyString() + "\n");
    }

    void writeCurrent(String modality, String fingerprint, String encoder, int dimension, int instances) {
        ObjectNode n = JSON.createObjectNode()
                .put("fingerprint", fingerprint)
                .put("encoder", encoder)
                .put("dimension", dimension)
                .put("instances", instances);
        Path f = PathNames.child(dir, "modality", modality).resolve(CURRENT);
        String text = n.toPrettyString() + "\n";
        try {
            if (Files.isRegularFile(f) && Files.readString(f).equals(text)) {
                return; // nothing changed: touch nothing
            }
        } catch (IOException e) {
            // rewrite it
        }
        AtomicFiles.writeString(f, text);
    }
}

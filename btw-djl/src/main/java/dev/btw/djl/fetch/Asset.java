package dev.btw.djl.fetch;

import java.util.Objects;

/**
 * One file a spec needs, with where it comes from and its SHA-256.
 *
 * @param name a display name, e.g. {@code minilm-l6-v2/model}; used in messages
 * @param origin where the file comes from
 * @param coordinate Maven {@code group:artifact:version}, npm {@code name@version}, or a local path
 * @param path the file inside the jar or tarball (ignored for local files)
 * @param sha256 the expected SHA-256 of the file itself
 */
public record Asset(String name, Origin origin, String coordinate, String path, String sha256) {

    /** Where an asset comes from. */
    public enum Origin {
        /** A resource inside a Maven artifact (a jar). */
        MAVEN,
        /** A file inside an npm package tarball. */
        NPM,
        /** A file on disk, relative to the spec folder. */
        LOCAL
    }

    /** Checks the fields. */
    public Asset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(coordinate, "coordinate");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** @return the file name the cached copy gets */
    public String fileName() {
        String p = origin == Origin.LOCAL ? coordinate : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    /** @return the origin in words, e.g. {@code maven G:A:V!/file.onnx} */
    public String describe() {
        return switch (origin) {
            case MAVEN -> "maven " + coordinate + "!/" + path;
            case NPM -> "npm " + coordinate + "!/" + path;
            case LOCAL -> "local file " + coordinate;
        };
    }
}

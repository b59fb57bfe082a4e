package dev.btw.app.experiment;

import dev.btw.core.io.Sha256;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** SHA-256 of a file, for provenance: "unavailable" when the file cannot be read (provenance never fails a run). */
final class Fingerprint {

    private Fingerprint() {}

    static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (UncheckedIOException e) {
            return "unavailable";
        }
    }
}

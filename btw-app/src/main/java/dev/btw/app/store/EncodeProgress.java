package dev.btw.app.store;

/** Receives progress while a modality is encoded; called from worker threads. */
@FunctionalInterface
public interface EncodeProgress {

    /** Ignores progress. */
    EncodeProgress NONE = (modality, done, total) -> {};

    /**
     * @param modality the modality being encoded
     * @param done instances finished in this run
     * @param total instances to encode in this run
     */
    void update(String modality, long done, long total);
}

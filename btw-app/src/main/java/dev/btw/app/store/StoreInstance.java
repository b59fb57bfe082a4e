package dev.btw.app.store;

import dev.btw.djl.encoder.EncoderInput;

/**
 * One instance of one modality as the store writer sees it.
 *
 * @param id the instance id
 * @param input what the encoder reads, or null when the modality is missing for this instance (an empty cell)
 * @param key a short digest of the cell (and, for files, their size and modification time): a cached vector is
 *     reused only while the key is unchanged
 */
public record StoreInstance(String id, EncoderInput input, String key) {

    /** @return whether the modality is present for this instance */
    public boolean present() {
        return input != null;
    }
}

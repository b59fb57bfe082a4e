package dev.btw.app.store;

/**
 * What encoding one modality did.
 *
 * @param modality the modality
 * @param encoder the encoder's name
 * @param fingerprint the encoder fingerprint
 * @param encoded instances run through the encoder in this run
 * @param reused instances whose cached vectors were kept
 * @param missing instances recorded as missing the modality (in this run)
 * @param seconds wall time
 */
public record EncodeResult(
        String modality, String encoder, String fingerprint, int encoded, int reused, int missing, double seconds) {

    /** @return instances encoded per second in this run (0 when nothing was encoded) */
    public double rate() {
        return seconds > 0 ? encoded / seconds : 0;
    }
}

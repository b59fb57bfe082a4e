package dev.btw.djl.encoder;

/**
 * How an encoder runs, as opposed to what it computes (which the spec says): these settings never change the
 * vectors, so they are not part of the fingerprint.
 *
 * @param threads intra-op threads per predictor (ONNX Runtime); 0 lets the engine decide
 * @param trainable load TorchScript parameters as trainable (fine-tuning); frozen otherwise
 */
public record EncoderOptions(int threads, boolean trainable) {

    /** Engine-chosen threads, frozen parameters. */
    public static final EncoderOptions DEFAULT = new EncoderOptions(0, false);

    /**
     * @param n intra-op threads per predictor
     * @return a copy with that thread count
     */
    public EncoderOptions withThreads(int n) {
        return new EncoderOptions(n, trainable);
    }

    /** @return a copy that loads trainable parameters */
    public EncoderOptions withTrainable() {
        return new EncoderOptions(threads, true);
    }
}

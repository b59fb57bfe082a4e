package dev.btw.djl.encoder;

import ai.djl.Device;

/**
 * How an encoder runs, as opposed to what it computes (which the spec says): these settings never change the
 * vectors' meaning, so they are not part of the fingerprint. (A GPU may change the last digits of a vector; the
 * store does not re-encode for that.)
 *
 * @param threads intra-op threads per predictor (ONNX Runtime); 0 lets the engine decide
 * @param trainable load TorchScript parameters as trainable (fine-tuning); frozen otherwise
 * @param device where the model runs ({@code encode.device}, resolved by
 *     the application's device choice); null for the CPU
 */
public record EncoderOptions(int threads, boolean trainable, Device device) {

    /** Engine-chosen threads, frozen parameters, the CPU. */
    public static final EncoderOptions DEFAULT = new EncoderOptions(0, false, null);

    /**
     * @param n intra-op threads per predictor
     * @return a copy with that thread count
     */
    public EncoderOptions withThreads(int n) {
        return new EncoderOptions(n, trainable, device);
    }

    /** @return a copy that loads trainable parameters */
    public EncoderOptions withTrainable() {
        return new EncoderOptions(threads, true, device);
    }

    /**
     * @param d the device, or null for the CPU
     * @return a copy that runs on that device
     */
    public EncoderOptions withDevice(Device d) {
        return new EncoderOptions(threads, trainable, d);
    }
}

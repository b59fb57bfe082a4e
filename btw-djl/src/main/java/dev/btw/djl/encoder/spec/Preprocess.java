package dev.btw.djl.encoder.spec;

/**
 * What turns a manifest cell (a sentence, a WAV path, an image path, a video file) into model inputs. Each kind has a stable
 * text form that enters the encoder fingerprint, so changing a setting re-encodes the modality.
 */
public sealed interface Preprocess permits TextPreprocess, AudioPreprocess, ImagePreprocess, VideoPreprocess {

    /** @return a stable text form of every setting */
    String canonical();
}

package dev.btw.djl.encoder.spec;

import java.util.function.Function;

/**
 * What turns a manifest cell (a sentence, a WAV path, an image path, a video file) into model inputs. Each kind has a stable
 * text form that enters the encoder fingerprint, so changing a setting re-encodes the modality.
 *
 * <p>Code that does something different per kind calls {@link #match}, the one dispatch on the kind: each kind
 * implements it, and every caller names a branch for every kind, so a new kind does not compile until each place
 * handles it. A question about one kind reads {@link #kind()}.
 */
public sealed interface Preprocess permits TextPreprocess, AudioPreprocess, ImagePreprocess, VideoPreprocess {

    /** The kinds of cell an encoder reads, one per permitted type. */
    enum Kind {
        /** {@link TextPreprocess}: a sentence. */
        TEXT,
        /** {@link AudioPreprocess}: a WAV path. */
        AUDIO,
        /** {@link ImagePreprocess}: an image path. */
        IMAGE,
        /** {@link VideoPreprocess}: a video file, read as one clip tensor. */
        VIDEO
    }

    /** @return a stable text form of every setting */
    String canonical();

    /**
     * Dispatches on the kind.
     *
     * @param text what to do with text preprocessing
     * @param audio what to do with audio preprocessing
     * @param image what to do with image preprocessing
     * @param video what to do with video (clip) preprocessing
     * @param <R> the result type
     * @return the result of the branch of this kind
     */
    <R> R match(
            Function<? super TextPreprocess, ? extends R> text,
            Function<? super AudioPreprocess, ? extends R> audio,
            Function<? super ImagePreprocess, ? extends R> image,
            Function<? super VideoPreprocess, ? extends R> video);

    /** @return its kind */
    default Kind kind() {
        return match(t -> Kind.TEXT, a -> Kind.AUDIO, i -> Kind.IMAGE, v -> Kind.VIDEO);
    }

    /**
     * @param preprocess a spec's preprocessing, null when the spec has none
     * @return its kind, or null for none
     */
    static Kind kindOf(Preprocess preprocess) {
        return preprocess == null ? null : preprocess.kind();
    }
}

package dev.btw.djl.encoder.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each preprocessing kind takes its own branch of the one dispatch, and reports its own kind. */
class PreprocessTest {

    private static final TextPreprocess TEXT = new TextPreprocess("tokenizer.json", 128);
    private static final AudioPreprocess AUDIO = new AudioPreprocess(16000, "melspectrogram.onnx", 76, 8, 10f, 2f);
    private static final ImagePreprocess IMAGE =
            new ImagePreprocess(1, 28, 28, 0, false, new float[] {0.5f}, new float[] {0.25f});
    private static final VideoPreprocess VIDEO =
            new VideoPreprocess(8, 1, 36, 36, new float[] {0.1f}, new float[] {0.3f}, "BTCHW");

    @Test
    void matchTakesTheBranchOfTheKind() {
        for (Preprocess p : List.of(TEXT, AUDIO, IMAGE, VIDEO)) {
            Object taken = p.match(t -> t, a -> a, i -> i, v -> v);
            assertSame(p, taken, p.canonical());
        }
        assertEquals(128, (int) TEXT.match(TextPreprocess::maxLength, a -> -1, i -> -1, v -> -1));
        assertEquals(16000, (int) AUDIO.match(t -> -1, AudioPreprocess::sampleRate, i -> -1, v -> -1));
        assertEquals(28, (int) IMAGE.match(t -> -1, a -> -1, ImagePreprocess::height, v -> -1));
        assertEquals(8, (int) VIDEO.match(t -> -1, a -> -1, i -> -1, VideoPreprocess::frames));
    }

    @Test
    void kindNamesTheType() {
        assertEquals(Preprocess.Kind.TEXT, TEXT.kind());
        assertEquals(Preprocess.Kind.AUDIO, AUDIO.kind());
        assertEquals(Preprocess.Kind.IMAGE, IMAGE.kind());
        assertEquals(Preprocess.Kind.VIDEO, VIDEO.kind());
        assertEquals(Preprocess.Kind.IMAGE, Preprocess.kindOf(IMAGE));
        assertNull(Preprocess.kindOf(null));
    }
}

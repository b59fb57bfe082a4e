package dev.btw.djl.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDecoderTest {

    @TempDir
    Path dir;

    /** The dominant frequency by counting rising zero crossings. */
    private static double frequency(float[] s, int rate) {
        int crossings = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                crossings++;
            }
        }
        return crossings * (double) rate / s.length;
    }

    @Test
    void compressedAudioAndSoundtracksAreDecodedMonoAtTheAskedRate() throws Exception {
        for (String ext : new String[] {"mp3", "flac", "ogg", "m4a"}) {
            Path f = TestClips.audio(dir.resolve("tone." + ext), 1.0);
            float[] s = AudioDecoder.read(f, 16000);
            // one second at 16 kHz, give or take the codec's priming and padding (JavaCV's recorder drops a last
            // partial MP3 frame or two)
            assertEquals(16000, s.length, 2400, ext);
            assertEquals(440, frequency(s, 16000), 10, ext);
            float peak = 0;
            for (float v : s) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertEquals(0.5, peak, 0.08, ext);
            assertTrue(AudioDecoder.hasAudioStream(f), ext);
        }
        Path talk = TestClips.video(dir.resolve("talk.mp4"), 50, 32, 24, true);
        float[] s = AudioDecoder.read(talk, 8000);
        assertEquals(16000, s.length, 1200); // 2 s at 8 kHz
        assertEquals(440, frequency(s, 8000), 10);
    }

    @Test
    void aClipWithoutSoundtrackHasNoAudioStream() throws Exception {
        Path silent = TestClips.video(dir.resolve("silent.mp4"), 10, 32, 24, false);
        assertFalse(AudioDecoder.hasAudioStream(silent));
        BtwException e = assertThrows(BtwException.class, () -> AudioDecoder.read(silent, 16000));
        assertTrue(
                e.getMessage().contains("has no audio stream") && e.getMessage().contains("silent.mp4"));
        Path broken = Files.write(dir.resolve("broken.mp3"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        e = assertThrows(BtwException.class, () -> AudioDecoder.read(broken, 16000));
        assertTrue(e.getMessage().contains("broken.mp3"), e.getMessage());
    }
}

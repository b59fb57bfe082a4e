package dev.btw.djl.encoder.preprocess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Writes mono 16-bit PCM WAV files for tests, with Java Sound. */
public final class TestWav {

    private TestWav() {}

    /**
     * @param file the destination
     * @param samples samples in [-1, 1] (clipped)
     * @param rate samples per second
     */
    public static void write(Path file, float[] samples, int rate) {
        byte[] pcm = new byte[2 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            short v = (short) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, samples.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

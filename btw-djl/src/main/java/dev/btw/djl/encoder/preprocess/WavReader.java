package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads a PCM WAV file (8, 16, 24 or 32 bit, any rate, any channel count) with the JDK's {@code javax.sound}, mixed
 * down to mono floats in [-1, 1].
 */
public final class WavReader {

    /**
     * Mono samples and their rate.
     *
     * @param samples the samples in [-1, 1]
     * @param sampleRate the rate in Hz
     */
    public record Audio(float[] samples, int sampleRate) {}

    private WavReader() {}

    /**
     * @param file a WAV file
     * @return its samples, mono
     * @throws BtwException when the file is unreadable, not PCM WAV, or holds no samples
     */
    public static Audio read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat src = in.getFormat();
            AudioFormat pcm = new AudioFormat(
                    AudioFormat.Encoding.PCM_SIGNED,
                    src.getSampleRate(),
                    16,
                    src.getChannels(),
                    2 * src.getChannels(),
                    src.getSampleRate(),
                    false);
            try (AudioInputStream conv = AudioSystem.getAudioInputStream(pcm, in)) {
                byte[] bytes = conv.readAllBytes();
                int channels = src.getChannels();
                int frames = bytes.length / (2 * channels);
                if (frames == 0) {
                    throw new BtwException("audio file " + file + " holds no samples");
                }
                float[] mono = new float[frames];
                for (int f = 0; f < frames; f++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int i = 2 * (f * channels + c);
                        sum += (short) ((bytes[i] & 0xff) | (bytes[i + 1] << 8));
                    }
                    mono[f] = sum / channels / 32768f;
                }
                return new Audio(mono, Math.round(src.getSampleRate()));
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new BtwException("not a PCM WAV file: " + file + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BtwException("cannot read audio file " + file + ": " + e.getMessage(), e);
        }
    }
}

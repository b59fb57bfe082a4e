package dev.btw.data;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mono 16-bit PCM WAV files, as {@code sox} writes them and the speech encoder reads them. */
public final class WavFile {

    private WavFile() {}

    /**
     * Mono samples in [-1, 1] and their rate.
     *
     * @param samples the samples
     * @param rate samples per second
     */
    public record Audio(float[] samples, int rate) {}

    /**
     * @param file a 16-bit PCM WAV file (mono; other channel counts are mixed down)
     * @return its samples
     * @throws BtwException when it is not 16-bit PCM WAV
     */
    public static Audio read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new BtwException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= b.length) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14);
                if (format != 1 && format != 0xfffe || bits != 16) {
                    throw new BtwException(file + ": not 16-bit PCM WAV (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164) { // "data"
                if (channels == 0) {
                    throw new BtwException(file + ": data before fmt chunk");
                }
                int frames = Math.min(size, b.length - body) / (2 * channels);
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    float s = 0;
                    for (int c = 0; c < channels; c++) {
                        s += buf.getShort(body + 2 * (i * channels + c)) / 32768f;
                    }
                    out[i] = s / channels;
                }
                return new Audio(out, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new BtwException(file + ": no data chunk");
    }

    /**
     * Writes mono 16-bit PCM, clipping to [-1, 1].
     *
     * @param file the destination
     * @param audio the samples
     */
    public static void write(Path file, Audio audio) {
        float[] s = audio.samples();
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x46464952).putInt(36 + 2 * s.length).putInt(0x45564157);
        buf.putInt(0x20746d66)
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(audio.rate())
                .putInt(audio.rate() * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        buf.putInt(0x61746164).putInt(2 * s.length);
        for (float v : s) {
            float c = Math.max(-1f, Math.min(1f, v));
            buf.putShort((short) Math.round(c * 32767f));
        }
        try {
            Files.write(file, buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

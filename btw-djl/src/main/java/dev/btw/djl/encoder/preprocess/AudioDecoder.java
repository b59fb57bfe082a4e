package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads audio from any file FFmpeg reads (MP3, FLAC, Ogg, M4A, the soundtrack of a video file) as mono floats in
 * [-1, 1] at a requested rate. WAV files keep their own reader ({@link WavReader}, then {@link Resampler}), so their
 * vectors do not change; every other file is decoded, mixed down and resampled by FFmpeg (libswresample) through
 * JavaCV.
 */
public final class AudioDecoder {

    static {
        FFmpegLog.quiet();
    }

    private AudioDecoder() {}

    /**
     * @param file a path
     * @return whether it is read by {@link WavReader} (a {@code .wav} ending)
     */
    public static boolean isWav(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }

    /**
     * @param file an audio or video file
     * @param sampleRate the rate to resample to, in Hz
     * @return its samples, mono, at {@code sampleRate}
     * @throws BtwException when the file cannot be read, has no audio stream or holds no samples
     */
    public static float[] read(Path file, int sampleRate) {
        if (isWav(file)) {
            WavReader.Audio a = WavReader.read(file);
            return Resampler.resample(a.samples(), a.sampleRate(), sampleRate);
        }
        FFmpegFrameGrabber g = open(file, sampleRate);
        try {
            if (!g.hasAudio()) {
                throw new BtwException("media file " + file + " has no audio stream");
            }
            float[] out = new float[sampleRate];
            int n = 0;
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples == null) {
                    continue;
                }
                FloatBuffer b = (FloatBuffer) f.samples[0];
                int k = b.remaining();
                if (n + k > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, n + k));
                }
                b.get(out, n, k);
                n += k;
            }
            if (n == 0) {
                throw new BtwException("audio in " + file + " holds no samples");
            }
            return Arrays.copyOf(out, n);
        } catch (FrameGrabber.Exception e) {
            throw new BtwException("cannot decode audio in " + file + ": " + e.getMessage(), e);
        } finally {
            close(g);
        }
    }

    /**
     * @param file an audio or video file
     * @return whether it has an audio stream (a WAV file always does)
     * @throws BtwException when FFmpeg cannot open the file
     */
    public static boolean hasAudioStream(Path file) {
        if (isWav(file)) {
            return true;
        }
        FFmpegFrameGrabber g = open(file, 0);
        try {
            return g.hasAudio();
        } finally {
            close(g);
        }
    }

    private static FFmpegFrameGrabber open(Path file, int sampleRate) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new BtwException("cannot read audio file " + file + ": missing or empty");
            }
        } catch (IOException e) {
            throw new BtwException("cannot read audio file " + file + ": " + e.getMessage(), e);
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        if (sampleRate > 0) {
            g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            g.setSampleRate(sampleRate);
            g.setAudioChannels(1);
        }
        try {
            g.start();
            return g;
        } catch (FrameGrabber.Exception e) {
            close(g);
            throw new BtwException(
                    "cannot open audio file " + file + " (corrupt, truncated or not a media file FFmpeg reads): "
                            + String.valueOf(e.getMessage()).strip(),
                    e);
        }
    }

    private static void close(FrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // closing after a failure: the first error is the one to report
        }
    }
}

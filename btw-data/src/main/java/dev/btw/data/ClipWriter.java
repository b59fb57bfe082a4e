package dev.btw.data;

import dev.btw.core.BtwException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes a small {@code .mp4} with FFmpeg through JavaCV: grey frames as MPEG-4 Part 2 video and a mono soundtrack
 * as AAC, the encoders of FFmpeg's LGPL build.
 */
public final class ClipWriter {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's per-file banners are noise in a recipe's log
    }

    private ClipWriter() {}

    /**
     * @param file the {@code .mp4} to write
     * @param frames the grey frames, each {@code size * size} bytes, row-major
     * @param size the frame side in pixels (even)
     * @param fps the frame rate
     * @param audio the soundtrack, samples in -1..1, or null for none
     * @param rate the soundtrack's sample rate
     * @throws BtwException when FFmpeg fails
     */
    public static void write(Path file, byte[][] frames, int size, int fps, float[] audio, int rate) {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), size, size, audio == null ? 0 : 1)) {
            r.setFormat("mp4");
            r.setFrameRate(fps);
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setVideoQuality(2); // near-lossless: the digit's strokes survive at 36 x 36
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            if (audio != null) {
                r.setSampleRate(rate);
                r.setAudioChannels(1);
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setAudioBitrate(64_000);
            }
            r.start();
            int perFrame = audio == null ? 0 : rate / fps;
            int sent = 0;
            ByteBuffer b = ByteBuffer.allocateDirect(size * size);
            for (byte[] f : frames) {
                b.clear();
                b.put(f);
                b.flip();
                r.recordImage(size, size, Frame.DEPTH_UBYTE, 1, size, avutil.AV_PIX_FMT_GRAY8, b);
                if (audio != null && sent < audio.length) {
                    int n = Math.min(perFrame, audio.length - sent);
                    r.recordSamples(rate, 1, shorts(audio, sent, n));
                    sent += n;
                }
            }
            if (audio != null && sent < audio.length) {
                r.recordSamples(rate, 1, shorts(audio, sent, audio.length - sent));
            }
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new BtwException("cannot write the clip " + file + ": " + e.getMessage(), e);
        }
    }

    private static ShortBuffer shorts(float[] audio, int from, int n) {
        ShortBuffer s = ShortBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            s.put((short) Math.round(32767 * Math.max(-1f, Math.min(1f, audio[from + i]))));
        }
        s.flip();
        return s;
    }
}

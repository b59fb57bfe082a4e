package dev.btw.djl.encoder.preprocess;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes small real clips at test time with FFmpeg's encoders (MPEG-4 Part 2 video, AAC audio; VP8 and Opus in
 * WebM). Frame i of a clip is one flat grey of level {@link #level(int)}, so a test can tell which frames were kept.
 */
public final class TestClips {

    private TestClips() {}

    /** @return the grey level of frame i */
    public static int level(int i) {
        return (i * 7) % 256;
    }

    /**
     * @param file the clip to write; its ending picks the container
     * @param frames the number of video frames (0 for a clip with a video stream and no frame)
     * @param width the frame width
     * @param height the frame height
     * @param audio whether to add a soundtrack (a 440 Hz tone at 16 kHz, as long as the video)
     * @return the file
     * @throws Exception when FFmpeg fails
     */
    public static Path video(Path file, int frames, int width, int height, boolean audio) throws Exception {
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        boolean webm = ext.equals("webm");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, audio ? 1 : 0)) {
            r.setFormat(ext.equals("mkv") ? "matroska" : ext);
            r.setFrameRate(25);
            r.setVideoCodec(webm ? avcodec.AV_CODEC_ID_VP8 : avcodec.AV_CODEC_ID_MPEG4);
            if (audio) {
                r.setSampleRate(webm ? 48000 : 16000);
                r.setAudioCodec(webm ? avcodec.AV_CODEC_ID_OPUS : avcodec.AV_CODEC_ID_AAC);
            }
            r.start();
            ByteBuffer b = ByteBuffer.allocateDirect(width * height * 3);
            for (int i = 0; i < frames; i++) {
                b.clear();
                byte v = (byte) level(i);
                for (int k = 0; k < width * height * 3; k++) {
                    b.put(v);
                }
                b.flip();
                r.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_RGB24, b);
                if (audio) {
                    r.recordSamples(r.getSampleRate(), 1, tone(r.getSampleRate(), r.getSampleRate() / 25, i));
                }
            }
            r.stop();
        }
        return file;
    }

    /**
     * Writes images as the frames of a clip (25 fps, no soundtrack), each frame repeated {@code repeat} times.
     *
     * @param file the clip to write; its ending picks the container
     * @param images the frames, all of one size
     * @param repeat how many video frames each image lasts
     * @return the file
     * @throws Exception when FFmpeg fails
     */
    public static Path ofImages(Path file, List<BufferedImage> images, int repeat) throws Exception {
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            r.setFormat(ext.equals("mkv") ? "matroska" : ext);
            r.setFrameRate(25);
            r.setVideoCodec(ext.equals("webm") ? avcodec.AV_CODEC_ID_VP8 : avcodec.AV_CODEC_ID_MPEG4);
            r.setVideoBitrate(4_000_000);
            r.start();
            ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3);
            for (BufferedImage img : images) {
                b.clear();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int rgb = img.getRGB(x, y);
                        b.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
                    }
                }
                b.flip();
                for (int k = 0; k < repeat; k++) {
                    r.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, avutil.AV_PIX_FMT_RGB24, b);
                }
            }
            r.stop();
        }
        return file;
    }

    /**
     * @param file the audio file to write; its ending picks the container ({@code .mp3}, {@code .flac}, {@code
     *     .ogg}, {@code .m4a})
     * @param seconds its length
     * @return the file
     * @throws Exception when FFmpeg fails
     */
    public static Path audio(Path file, double seconds) throws Exception {
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 1)) {
            r.setFormat(ext.equals("m4a") ? "ipod" : ext);
            r.setSampleRate(ext.equals("ogg") ? 48000 : 22050);
            r.setAudioCodec(
                    switch (ext) {
                        case "mp3" -> avcodec.AV_CODEC_ID_MP3;
                        case "flac" -> avcodec.AV_CODEC_ID_FLAC;
                        case "ogg" -> avcodec.AV_CODEC_ID_OPUS;
                        default -> avcodec.AV_CODEC_ID_AAC;
                    });
            r.start();
            int per = r.getSampleRate() / 10;
            for (int i = 0; i < Math.round(seconds * 10); i++) {
                r.recordSamples(r.getSampleRate(), 1, tone(r.getSampleRate(), per, i));
            }
            r.stop();
        }
        return file;
    }

    /** A 440 Hz tone at amplitude 0.5, chunk i of n samples. */
    private static ShortBuffer tone(int rate, int n, int chunk) {
        ShortBuffer s = ShortBuffer.allocate(n);
        for (int k = 0; k < n; k++) {
            long t = (long) chunk * n + k;
            s.put((short) Math.round(16384 * Math.sin(2 * Math.PI * 440 * t / rate)));
        }
        s.flip();
        return s;
    }
}

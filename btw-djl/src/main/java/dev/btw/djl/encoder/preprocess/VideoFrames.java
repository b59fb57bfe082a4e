package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes the sampled frames of a video file ({@code .mp4}, {@code .webm}, {@code .mkv}, {@code .avi}, {@code .mov})
 * with FFmpeg through JavaCV. Decoding streams: frames are decoded one at a time and only the sampled ones are
 * copied out of the decoder's reused buffer, so memory does not grow with the clip's length. Frames come out as
 * 8-bit RGB, at the clip's own size or scaled by FFmpeg to a requested size.
 *
 * <p>Every failure is a {@link BtwException} naming the file: a file FFmpeg cannot open (corrupt, truncated, not a
 * video), no video stream, no frames (a zero-length clip), a codec this FFmpeg build cannot decode, a clip longer than
 * {@link FrameSampling#maxSeconds()}.
 */
public final class VideoFrames {

    /** The file name endings read as video files. */
    public static final List<String> VIDEO_TYPES = List.of(".mp4", ".webm", ".mkv", ".avi", ".mov");

    static {
        FFmpegLog.quiet();
    }

    /**
     * One decoded frame, copied out of the decoder.
     *
     * @param width its width
     * @param height its height
     * @param rgb its pixels, row-major, packed {@code 0xRRGGBB}
     * @param index its index among the clip's frames
     */
    public record Frame8(int width, int height, int[] rgb, int index) {

        /** @return the frame as a {@code TYPE_INT_RGB} image (sharing no buffer with the decoder) */
        public BufferedImage toImage() {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, width, height, rgb, 0, width);
            return img;
        }
    }

    private VideoFrames() {}

    /**
     * @param cell a manifest cell or a path
     * @return whether it names a video file by its ending
     */
    public static boolean isVideoFile(String cell) {
        String l = cell.strip().toLowerCase(Locale.ROOT);
        return VIDEO_TYPES.stream().anyMatch(l::endsWith);
    }

    /**
     * Decodes the frames a sampling policy picks.
     *
     * @param file a video file
     * @param sampling which frames to keep
     * @param width the width to scale frames to, or 0 for the clip's own size
     * @param height the height to scale frames to, or 0 for the clip's own size
     * @return the kept frames, in order: {@code sampling.frames()} of them when spread evenly, at most
     *     {@code sampling.maxFrames()} with {@code fps}
     * @throws BtwException when the file cannot be decoded, naming the file and the reason
     */
    public static List<Frame8> read(Path file, FrameSampling sampling, int width, int height) {
        checkFile(file);
        long total = countFrames(file, sampling);
        List<Frame8> kept = decode(file, sampling, width, height, total);
        if (kept.isEmpty()) {
            throw new BtwException("video file " + file + " holds no video frames (a zero-length clip)");
        }
        return kept;
    }

    /**
     * Checks, without decoding, that a video file can be read under a sampling policy: FFmpeg opens it, it has a
     * video stream in a codec FFmpeg decodes, it holds frames, and it is no longer than the policy's limit.
     *
     * @param file a video file
     * @param sampling the sampling policy (its {@code maxSeconds})
     * @return the number of video frames (packets) it holds
     * @throws BtwException naming the file and what is wrong
     */
    public static long probe(Path file, FrameSampling sampling) {
        checkFile(file);
        long n = countFrames(file, sampling);
        if (n == 0) {
            throw new BtwException("video file " + file + " holds no video frames (a zero-length clip)");
        }
        return n;
    }

    /**
     * @param file a media file
     * @return whether FFmpeg finds a video stream in it
     * @throws BtwException when FFmpeg cannot open the file
     */
    public static boolean hasVideoStream(Path file) {
        checkFile(file);
        FFmpegFrameGrabber g = open(file, 0, 0);
        try {
            return g.hasVideo();
        } finally {
            close(g);
        }
    }

    /**
     * Counts the video packets without decoding (demuxing only, a small share of decoding's cost), and checks the
     * clip's length: counting stops once the count passes the limit.
     */
    private static long countFrames(Path file, FrameSampling sampling) {
        FFmpegFrameGrabber g = open(file, 0, 0);
        try {
            requireVideo(file, g);
            AVFormatContext fc = g.getFormatContext();
            int index = videoStreamIndex(fc);
            double rate = g.getFrameRate();
            // headers' frame counts are not reliable (AVI with a soundtrack overstates them): count packets
            long n = 0;
            long limit = rate > 0 ? (long) Math.ceil(sampling.maxSeconds() * rate) : Long.MAX_VALUE;
            double headerSeconds = g.getLengthInTime() / 1e6;
            boolean over = rate <= 0 && headerSeconds > sampling.maxSeconds();
            AVPacket p;
            while (!over && (p = g.grabPacket()) != null) {
                if (p.stream_index() == index && ++n > limit) {
                    over = true;
                }
            }
            if (over) {
                throw new BtwException(String.format(
                        Locale.ROOT,
                        "video file %s is longer than the limit of %.1f s (max_seconds): a clip far longer than the "
                                + "sampled frames need is refused rather than decoded whole; raise max_seconds to "
                                + "encode it",
                        file,
                        sampling.maxSeconds()));
            }
            return n;
        } catch (FrameGrabber.Exception e) {
            throw new BtwException("cannot read video file " + file + ": " + e.getMessage(), e);
        } finally {
            close(g);
        }
    }

    private static List<Frame8> decode(Path file, FrameSampling sampling, int width, int height, long total) {
        FFmpegFrameGrabber g = open(file, width, height);
        List<Frame8> kept = new ArrayList<>();
        try {
            requireVideo(file, g);
            int[] wanted = sampling.fps() > 0 ? null : evenly(sampling.frames(), total);
            int next = 0;
            int index = 0;
            long first = Long.MIN_VALUE;
            long limitMicros = (long) (sampling.maxSeconds() * 1e6);
            Frame8 last = null;
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.image == null) {
                    continue;
                }
                long ts = f.timestamp;
                if (first == Long.MIN_VALUE) {
                    first = ts;
                }
                if (ts - first > limitMicros) {
                    throw new BtwException(String.format(
                            Locale.ROOT,
                            "video file %s runs past the limit of %.1f s (max_seconds); raise max_seconds to "
                                    + "encode it",
                            file,
                            sampling.maxSeconds()));
                }
                if (wanted == null) {
                    if (ts - first >= Math.round(next * 1e6 / sampling.fps()) - 1) {
                        kept.add(copy(f, index));
                        next++;
                        if (kept.size() >= sampling.maxFrames()) {
                            break;
                        }
                    }
                } else {
                    Frame8 c = null;
                    while (next < wanted.length && wanted[next] == index) {
                        c = c == null ? copy(f, index) : c;
                        kept.add(c);
                        next++;
                    }
                    if (next == wanted.length) {
                        break;
                    }
                    // the count from the container may exceed the frames decoded: keep the latest for padding
                    if (c == null && index >= total - 2) {
                        last = copy(f, index);
                    }
                }
                index++;
            }
            if (wanted != null && !kept.isEmpty() && kept.size() < wanted.length) {
                Frame8 pad =
                        last != null && last.index() > kept.get(kept.size() - 1).index()
                                ? last
                                : kept.get(kept.size() - 1);
                while (kept.size() < wanted.length) {
                    kept.add(pad);
                }
            } else if (wanted != null && kept.isEmpty() && index > 0) {
                close(g);
                return decode(file, sampling, width, height, index); // the container overstated the count
            }
            return kept;
        } catch (FrameGrabber.Exception e) {
            throw new BtwException("cannot decode video file " + file + ": " + e.getMessage(), e);
        } finally {
            close(g);
        }
    }

    /**
     * The frames {@link FrameSampling#evenly} keeps.
     *
     * @param t how many frames
     * @param n the clip's frame count
     * @return the frame indices {@code floor((k + 0.5) * n / t)}, k = 0 .. t-1
     */
    public static int[] evenly(int t, long n) {
        int[] out = new int[t];
        for (int k = 0; k < t; k++) {
            out[k] = (int) Math.min(Math.max(n - 1, 0), (long) Math.floor((k + 0.5) * n / t));
        }
        return out;
    }

    private static Frame8 copy(Frame f, int index) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * stride;
            for (int x = 0; x < w; x++) {
                int p = row + 3 * x;
                rgb[y * w + x] = ((b.get(p) & 0xff) << 16) | ((b.get(p + 1) & 0xff) << 8) | (b.get(p + 2) & 0xff);
            }
        }
        return new Frame8(w, h, rgb, index);
    }

    private static void checkFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new BtwException("cannot read video file " + file + ": no such file");
            }
            if (Files.size(file) == 0) {
                throw new BtwException("video file " + file + " is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new BtwException("cannot read video file " + file + ": " + e.getMessage(), e);
        }
    }

    private static FFmpegFrameGrabber open(Path file, int width, int height) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        if (width > 0 && height > 0) {
            g.setImageWidth(width);
            g.setImageHeight(height);
        }
        try {
            g.start();
            return g;
        } catch (FrameGrabber.Exception e) {
            close(g);
            String m = String.valueOf(e.getMessage());
            if (m.contains("avcodec_find_decoder")) {
                throw new BtwException(
                        "video file " + file + " uses a video codec btw's FFmpeg build cannot decode (" + m.strip()
                                + "); convert it, e.g. to H.264 or VP9",
                        e);
            }
            if (m.contains("Did not find a video or audio stream")) {
                throw new BtwException(
                        "video file " + file + " holds no video frames (a zero-length clip: no media stream at all)",
                        e);
            }
            throw new BtwException(
                    "cannot open video file " + file + " (corrupt, truncated or not a media file FFmpeg reads): "
                            + m.strip(),
                    e);
        }
    }

    private static void requireVideo(Path file, FFmpegFrameGrabber g) {
        if (!g.hasVideo()) {
            throw new BtwException(
                    "video file " + file + " has no video stream" + (g.hasAudio() ? " (audio only)" : ""));
        }
    }

    private static int videoStreamIndex(AVFormatContext fc) {
        for (int i = 0; i < fc.nb_streams(); i++) {
            if (fc.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                return i;
            }
        }
        return -1;
    }

    private static void close(FrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // closing after a failure: the first error is the one to report
        }
    }
}

package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Video as frames: a cell naming a folder of images (taken in file-name order), a list of image paths separated by
 * {@code ;}, or a video file ({@link VideoFrames#VIDEO_TYPES}, its frames sampled by a {@link FrameSampling}) is
 * encoded frame by frame with an image encoder, and the frame vectors are pooled over time (mean or max). A cell
 * naming one image passes through unchanged.
 */
public final class FramePoolingEncoder implements Encoder {

    private static final List<String> IMAGE_TYPES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Encoder frames;
    private final boolean max;
    private final FrameSampling sampling;

    /**
     * @param frames the image encoder applied to each frame
     * @param max pool by the maximum over frames instead of the mean
     */
    public FramePoolingEncoder(Encoder frames, boolean max) {
        this(frames, max, FrameSampling.DEFAULT);
    }

    /**
     * @param frames the image encoder applied to each frame
     * @param max pool by the maximum over frames instead of the mean
     * @param sampling which frames of a video file are encoded
     */
    public FramePoolingEncoder(Encoder frames, boolean max, FrameSampling sampling) {
        this.frames = frames;
        this.max = max;
        this.sampling = sampling;
    }

    /**
     * Splits a cell into frame paths.
     *
     * @param cell a resolved path (an image or a folder of frames) or {@code ;}-separated paths
     * @param base the folder relative paths in a list are resolved against
     * @return the frame paths, in order
     */
    public static List<Path> frames(String cell, Path base) {
        List<Path> out = new ArrayList<>();
        if (cell.contains(";")) {
            for (String p : cell.split(";")) {
                if (!p.isBlank()) {
                    out.add(base.resolve(p.strip()).normalize());
                }
            }
            return out;
        }
        Path p = base.resolve(cell).normalize();
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            s.filter(f -> IMAGE_TYPES.stream()
                            .anyMatch(t -> f.getFileName()
                                    .toString()
                                    .toLowerCase(Locale.ROOT)
                                    .endsWith(t)))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new BtwException("cannot list frames in " + p + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String name() {
        return frames.name();
    }

    @Override
    public int dimension() {
        return frames.dimension();
    }

    @Override
    public String fingerprint() {
        return fingerprint(frames.fingerprint(), max, sampling);
    }

    /**
     * @param frameFingerprint the image encoder's fingerprint
     * @param max whether frames are max-pooled
     * @param sampling the sampling of video files' frames
     * @return the fingerprint of the frame-pooling encoder over it (as {@link #fingerprint(String, boolean)} with the
     *     default sampling)
     */
    public static String fingerprint(String frameFingerprint, boolean max, FrameSampling sampling) {
        return sampling.equals(FrameSampling.DEFAULT)
                ? fingerprint(frameFingerprint, max)
                : Sha256.ofString(frameFingerprint + ";frames=" + (max ? "max" : "mean") + ";" + sampling.canonical())
                        .substring(0, 16);
    }

    /**
     * @param frameFingerprint the image encoder's fingerprint
     * @param max whether frames are max-pooled
     * @return the fingerprint of the frame-pooling encoder over it
     */
    public static String fingerprint(String frameFingerprint, boolean max) {
        return Sha256.ofString(frameFingerprint + ";frames=" + (max ? "max" : "mean"))
                .substring(0, 16);
    }

    @Override
    public List<float[]> encode(List<EncoderInput> batch) {
        List<float[]> out = new ArrayList<>(batch.size());
        for (EncoderInput in : batch) {
            if (VideoFrames.isVideoFile(in.value())) {
                out.add(pool(videoFrames(in)));
                continue;
            }
            List<Path> paths = frames(in.value(), Path.of(""));
            if (paths.isEmpty()) {
                throw new EncoderException(name(), in.id(), "no image frames in '" + in.value() + "'");
            }
            if (paths.size() == 1) {
                out.add(frames.encode(
                                List.of(EncoderInput.of(in.id(), paths.get(0).toString())))
                        .get(0));
                continue;
            }
            List<EncoderInput> f = new ArrayList<>(paths.size());
            for (int i = 0; i < paths.size(); i++) {
                f.add(EncoderInput.of(in.id() + "#frame" + i, paths.get(i).toString()));
            }
            out.add(pool(frames.encode(f)));
        }
        return out;
    }

    private List<float[]> videoFrames(EncoderInput in) {
        if (!(frames instanceof ImageEncoder image)) {
            throw new EncoderException(name(), in.id(), "this encoder cannot read video file " + in.value());
        }
        List<VideoFrames.Frame8> decoded;
        try {
            decoded = VideoFrames.read(Path.of(in.value()), sampling, 0, 0);
        } catch (BtwException e) {
            throw new EncoderException(name(), in.id(), e.getMessage());
        }
        List<BufferedImage> images = new ArrayList<>(decoded.size());
        for (VideoFrames.Frame8 f : decoded) {
            images.add(f.toImage());
        }
        return image.encodeImages(in.id(), images);
    }

    private float[] pool(List<float[]> vs) {
        float[] v = vs.get(0).clone();
        for (int k = 1; k < vs.size(); k++) {
            for (int j = 0; j < v.length; j++) {
                v[j] = max ? Math.max(v[j], vs.get(k)[j]) : v[j] + vs.get(k)[j];
            }
        }
        if (!max) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= vs.size();
            }
        }
        return v;
    }

    @Override
    public void close() {
        frames.close();
    }
}

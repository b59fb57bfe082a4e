package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.ClipEncoder;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One image or clip modality's inputs, preprocessed once as its encoder spec says and kept in memory as float
 * tensors ({@code [C, H, W]} per image, or one clip tensor in the spec's layout, {@code [T, C, H, W]} or {@code [C,
 * T, H, W]}, per video file; keyed by instance id), so that each training step of a fine-tuned encoder reads ready
 * tensors instead of decoding image or video files again.
 */
public final class EncoderImages {

    private final Map<String, Integer> rowOf;
    private final float[] pixels;
    private final Preprocess pre;
    private final int per;

    private EncoderImages(Map<String, Integer> rowOf, float[] pixels, Preprocess pre, int per) {
        this.rowOf = rowOf;
        this.pixels = pixels;
        this.pre = pre;
        this.per = per;
    }

    /**
     * Reads every non-empty cell of a column as a clip tensor (in parallel): the spec's T frames spread evenly over
     * each video file ({@link ClipEncoder#clip}).
     *
     * @param manifest the manifest
     * @param modality the modality's name (for messages)
     * @param column the column holding video file paths
     * @param pre the clip preprocessing
     * @param maxSeconds the longest clip accepted, in seconds
     * @return the tensors of the instances that have the modality
     * @throws BtwException when a cell is not a video file, or a file cannot be decoded (naming the instance)
     */
    public static EncoderImages loadClips(
            Manifest manifest, String modality, String column, VideoPreprocess pre, double maxSeconds) {
        int n = manifest.size();
        int per = Math.multiplyExact(pre.frames(), pre.channels() * pre.height() * pre.width());
        Path[] files = new Path[n];
        Map<String, Integer> rowOf = new HashMap<>();
        int count = 0;
        for (int r = 0; r < n; r++) {
            String cell = manifest.cell(r, column);
            if (cell == null || cell.isBlank()) {
                continue;
            }
            if (!VideoFrames.isVideoFile(cell.strip())) {
                throw manifest.error(
                        r,
                        column,
                        "instance " + manifest.ids().get(r) + ": modality " + modality
                                + " has fine_tune: true on a clip encoder, which takes one video "
                                + "file per instance (" + String.join(", ", VideoFrames.VIDEO_TYPES)
                                + "); this cell names none");
            }
            files[r] = manifest.baseDir().resolve(cell.strip());
            rowOf.put(manifest.ids().get(r), count++);
        }
        float[] pixels = new float[Math.multiplyExact(count, per)];
        int[] slot = new int[n];
        for (int r = 0; r < n; r++) {
            slot[r] = files[r] == null ? -1 : rowOf.get(manifest.ids().get(r));
        }
        IntStream.range(0, n).parallel().filter(r -> files[r] != null).forEach(r -> {
            float[] t;
            try {
                t = ClipEncoder.clip(files[r], pre, maxSeconds);
            } catch (BtwException e) {
                throw manifest.error(r, column, "instance " + manifest.ids().get(r) + ": " + e.getMessage());
            }
            System.arraycopy(t, 0, pixels, slot[r] * per, per);
        });
        return new EncoderImages(rowOf, pixels, pre, per);
    }

    /**
     * Reads and preprocesses every non-empty cell of a column (in parallel).
     *
     * @param manifest the manifest
     * @param modality the modality's name (for messages)
     * @param column the column holding image paths
     * @param pre the preprocessing
     * @return the tensors of the instances that have the modality
     * @throws BtwException when a cell names several frames (a video) or an unreadable image
     */
    public static EncoderImages load(Manifest manifest, String modality, String column, ImagePreprocess pre) {
        int n = manifest.size();
        int per = pre.channels() * pre.height() * pre.width();
        Path[] files = new Path[n];
        Map<String, Integer> rowOf = new HashMap<>();
        int count = 0;
        for (int r = 0; r < n; r++) {
            String cell = manifest.cell(r, column);
            if (cell == null || cell.isBlank()) {
                continue;
            }
            List<Path> frames = FramePoolingEncoder.frames(cell, manifest.baseDir());
            if (frames.size() != 1 || VideoFrames.isVideoFile(cell)) {
                throw manifest.error(
                        r,
                        column,
                        "modality " + modality + " has fine_tune: true, which takes one "
                                + "image per instance; this cell names "
                                + (frames.size() != 1 ? frames.size() + " frames" : "a video file")
                                + " (a frame-wise image encoder is not fine-tuned over frame sequences: use a clip "
                                + "encoder, preprocess type video, or set fine_tune: false for videos)");
            }
            files[r] = frames.get(0);
            rowOf.put(manifest.ids().get(r), count++);
        }
        float[] pixels = new float[Math.multiplyExact(count, per)];
        int[] slot = new int[n];
        for (int r = 0; r < n; r++) {
            slot[r] = files[r] == null ? -1 : rowOf.get(manifest.ids().get(r));
        }
        IntStream.range(0, n).parallel().filter(r -> files[r] != null).forEach(r -> {
            float[] t = ImageLoader.load(files[r], pre);
            System.arraycopy(t, 0, pixels, slot[r] * per, per);
        });
        return new EncoderImages(rowOf, pixels, pre, per);
    }

    /** @return the number of instances held */
    public int size() {
        return rowOf.size();
    }

    /** @return values per instance ({@code C * H * W}, or {@code T * C * H * W} for clips) */
    public int valuesPerInstance() {
        return per;
    }

    /** @return the preprocessing the tensors were made with (image or video) */
    public Preprocess preprocess() {
        return pre;
    }

    /**
     * @param batch the batch size
     * @return the encoder's input shape for a batch: {@code [B, C, H, W]} for images, the spec's clip shape ({@link
     *     VideoPreprocess#shape}) for clips
     */
    public long[] shape(int batch) {
        return pre.match(
                t -> {
                    throw new IllegalStateException("text preprocessing in EncoderImages");
                },
                a -> {
                    throw new IllegalStateException("audio preprocessing in EncoderImages");
                },
                i -> new long[] {batch, i.channels(), i.height(), i.width()},
                v -> v.shape(batch));
    }

    /**
     * The tensors of a batch, zeros for instances without the modality.
     *
     * @param ids the split's instance ids
     * @param rows the batch's rows of the split
     * @return {@code rows.length * C * H * W} values, row-major
     */
    public float[] batch(List<String> ids, int[] rows) {
        float[] out = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            Integer k = rowOf.get(ids.get(rows[i]));
            if (k != null) {
                System.arraycopy(pixels, k * per, out, i * per, per);
            }
        }
        return out;
    }
}

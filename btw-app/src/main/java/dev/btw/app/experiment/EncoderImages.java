package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.ClipEncoder;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /** Frame-wise: each instance's first frame and frame count; null otherwise. */
    private final int[] frameStart;

    private final int[] frameCount;
    private final boolean maxPool;

    private EncoderImages(Map<String, Integer> rowOf, float[] pixels, Preprocess pre, int per) {
        this(rowOf, pixels, pre, per, null, null, false);
    }

    private EncoderImages(
            Map<String, Integer> rowOf,
            float[] pixels,
            Preprocess pre,
            int per,
            int[] frameStart,
            int[] frameCount,
            boolean maxPool) {
        this.rowOf = rowOf;
        this.pixels = pixels;
        this.pre = pre;
        this.per = per;
        this.frameStart = frameStart;
        this.frameCount = frameCount;
        this.maxPool = maxPool;
    }

    /**
     * A batch of a frame-wise modality: every instance's frames padded to the batch's longest, and which are real.
     *
     * @param pixels {@code rows * frames} image tensors, {@code [C, H, W]} each, row-major
     * @param mask {@code rows * frames} values, 1 for a real frame and 0 for padding (an instance without the
     *     modality has one zero frame)
     * @param frames the padded frame count
     */
    public record FrameBatch(float[] pixels, float[] mask, int frames) {}

    /**
     * @param manifest the manifest
     * @param column a column
     * @return whether some cell names a video file or several frames (a frame-wise image encoder pools over them)
     */
    public static boolean hasFrameSequences(Manifest manifest, String column) {
        for (int r = 0; r < manifest.size(); r++) {
            String cell = manifest.cell(r, column);
            if (cell != null
                    && !cell.isBlank()
                    && (VideoFrames.isVideoFile(cell)
                            || FramePoolingEncoder.frames(cell.strip(), manifest.baseDir())
                                            .size()
                                    != 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every non-empty cell of a column as frames for a frame-wise image encoder (in parallel), as {@link
     * FramePoolingEncoder} reads them: a video file's frames sampled by {@code sampling} and made images, a folder
     * of frames or {@code ;}-separated frame paths, or one image; each frame preprocessed as the spec says.
     *
     * @param manifest the manifest
     * @param modality the modality's name (for messages)
     * @param column the column
     * @param pre the image preprocessing
     * @param sampling the frame sampling of video files
     * @param maxPool whether the modality pools frames by their maximum ({@code time_pooling: max})
     * @return the frames of the instances that have the modality
     * @throws BtwException when a cell names no frame or an unreadable file (naming the instance)
     */
    public static EncoderImages loadFrames(
            Manifest manifest,
            String modality,
            String column,
            ImagePreprocess pre,
            FrameSampling sampling,
            boolean maxPool) {
        int n = manifest.size();
        int per = pre.channels() * pre.height() * pre.width();
        List<float[]>[] read = new List[n];
        Map<String, Integer> rowOf = new HashMap<>();
        int[] slot = new int[n];
        int count = 0;
        for (int r = 0; r < n; r++) {
            String cell = manifest.cell(r, column);
            slot[r] = -1;
            if (cell == null || cell.isBlank()) {
                continue;
            }
            slot[r] = count;
            rowOf.put(manifest.ids().get(r), count++);
        }
        IntStream.range(0, n).parallel().filter(r -> slot[r] >= 0).forEach(r -> {
            String cell = manifest.cell(r, column).strip();
            List<float[]> frames = new ArrayList<>();
            try {
                if (VideoFrames.isVideoFile(cell)) {
                    for (VideoFrames.Frame8 f :
                            VideoFrames.read(manifest.baseDir().resolve(cell), sampling, 0, 0)) {
                        frames.add(ImageLoader.toTensor(f.toImage(), pre));
                    }
                } else {
                    for (Path p : FramePoolingEncoder.frames(cell, manifest.baseDir())) {
                        frames.add(ImageLoader.load(p, pre));
                    }
                }
            } catch (BtwException e) {
                throw manifest.error(r, column, "instance " + manifest.ids().get(r) + ": " + e.getMessage());
            }
            if (frames.isEmpty()) {
                throw manifest.error(
                        r, column, "instance " + manifest.ids().get(r) + ": modality " + modality + " names no frame");
            }
            read[r] = frames;
        });
        int[] start = new int[count];
        int[] frameCount = new int[count];
        int total = 0;
        for (int r = 0; r < n; r++) {
            if (slot[r] >= 0) {
                start[slot[r]] = total;
                frameCount[slot[r]] = read[r].size();
                total += read[r].size();
            }
        }
        float[] pixels = new float[Math.multiplyExact(total, per)];
        for (int r = 0; r < n; r++) {
            if (slot[r] >= 0) {
                for (int k = 0; k < read[r].size(); k++) {
                    System.arraycopy(read[r].get(k), 0, pixels, (start[slot[r]] + k) * per, per);
                }
            }
        }
        return new EncoderImages(rowOf, pixels, pre, per, start, frameCount, maxPool);
    }

    /** @return whether this modality is frame-wise (an image encoder's vectors pooled over frames) */
    public boolean framewise() {
        return frameStart != null;
    }

    /** @return whether a frame-wise modality pools by the maximum over frames (else the mean) */
    public boolean maxPool() {
        return maxPool;
    }

    /**
     * The frames of a batch of a frame-wise modality.
     *
     * @param ids the split's instance ids
     * @param rows the batch's rows of the split
     * @return the padded frames and their mask
     */
    public FrameBatch frameBatch(List<String> ids, int[] rows) {
        int t = 1;
        for (int row : rows) {
            Integer k = rowOf.get(ids.get(row));
            t = k == null ? t : Math.max(t, frameCount[k]);
        }
        float[] out = new float[Math.multiplyExact(rows.length * t, per)];
        float[] mask = new float[rows.length * t];
        for (int i = 0; i < rows.length; i++) {
            Integer k = rowOf.get(ids.get(rows[i]));
            if (k == null) {
                mask[i * t] = 1;
                continue;
            }
            System.arraycopy(pixels, frameStart[k] * per, out, i * t * per, frameCount[k] * per);
            for (int f = 0; f < frameCount[k]; f++) {
                mask[i * t + f] = 1;
            }
        }
        return new FrameBatch(out, mask, t);
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
     * @throws BtwException when a cell names several frames or a video file ({@link #loadFrames} reads those), or an
     *     unreadable image
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
                        "modality " + modality + ": EncoderImages.load takes one image per instance; this cell "
                                + "names "
                                + (frames.size() != 1 ? frames.size() + " frames" : "a video file")
                                + " (read frame sequences with loadFrames)");
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

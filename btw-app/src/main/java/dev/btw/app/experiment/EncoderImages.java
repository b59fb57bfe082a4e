package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One image modality's inputs, preprocessed once as its encoder spec says and kept in memory as float tensors
 * ({@code [C, H, W]} per instance, keyed by instance id), so that each training step of a fine-tuned encoder
 * reads ready tensors instead of decoding image files again.
 */
public final class EncoderImages {

    private final Map<String, Integer> rowOf;
    private final float[] pixels;
    private final ImagePreprocess pre;
    private final int per;

    private EncoderImages(Map<String, Integer> rowOf, float[] pixels, ImagePreprocess pre) {
        this.rowOf = rowOf;
        this.pixels = pixels;
        this.pre = pre;
        this.per = pre.channels() * pre.height() * pre.width();
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
                                + " (fine-tuning over frame sequences is not supported: set fine_tune: false for "
                                + "videos)");
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
        return new EncoderImages(rowOf, pixels, pre);
    }

    /** @return the number of instances held */
    public int size() {
        return rowOf.size();
    }

    /** @return values per instance ({@code C * H * W}) */
    public int valuesPerInstance() {
        return per;
    }

    /** @return the preprocessing the tensors were made with */
    public ImagePreprocess preprocess() {
        return pre;
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

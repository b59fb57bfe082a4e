package dev.btw.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the {@code modalities} section.
 *
 * @param name the modality's name (weights, predictions and exported inputs are keyed by it)
 * @param encoder a spec folder name under {@code models/}, a path to a spec folder, {@code columns} (tabular) or
 *     {@code vectors} (precomputed embeddings)
 * @param column the manifest column holding the raw input (text, a file path, a vector), when there is one
 * @param columns for tabular modalities: the numeric columns, in order
 * @param pattern for tabular modalities: a regular expression choosing columns, instead of {@code columns}
 * @param pooling overrides the encoder spec's pooling ({@code mean}, {@code cls}, ...), when set
 * @param timePooling pooling over frames or time steps for sequences and videos: {@code mean} or {@code max}
 * @param fineTune whether a TorchScript encoder's parameters train with the fusion model
 * @param fineTuneLr with {@code fineTune}: the encoder's learning rate as a multiple of {@code train.lr}
 * @param fineTuneFreezeEpochs with {@code fineTune}: how many first epochs keep the encoder frozen
 * @param matrix for {@code vectors}: one {@code .npy} file {@code [N, d]} holding every instance's vector, instead of
 *     a manifest column (as written in the config; resolve it with {@link BtwConfig#resolve})
 * @param matrixIds for {@code matrix}: a text file with one instance id per line, naming the matrix's rows in order;
 *     null when the rows follow the manifest's order
 * @param frames for video files read by an image encoder: the frames spread evenly over each clip (when {@code fps}
 *     is 0)
 * @param fps for video files: frames kept per second of video, or 0 for {@code frames} spread evenly
 * @param maxFrames with {@code fps}: the most frames kept per clip
 * @param maxSeconds for video files: the longest clip accepted, in seconds (a longer one is refused)
 */
public record ModalityConfig(
        String name,
        String encoder,
        String column,
        List<String> columns,
        String pattern,
        String pooling,
        String timePooling,
        boolean fineTune,
        double fineTuneLr,
        int fineTuneFreezeEpochs,
        String matrix,
        String matrixIds,
        int frames,
        double fps,
        int maxFrames,
        double maxSeconds) {

    /** The video frame-sampling defaults: 8 frames spread evenly, clips up to ten minutes. */
    public static final int DEFAULT_FRAMES = 8;

    /**
     * A modality with the default video frame sampling.
     *
     * @param name the modality's name
     * @param encoder the encoder
     * @param column the column
     * @param columns tabular columns
     * @param pattern tabular column pattern
     * @param pooling the pooling override
     * @param timePooling pooling over frames
     * @param fineTune whether the encoder trains
     * @param fineTuneLr its learning-rate multiple
     * @param fineTuneFreezeEpochs its frozen epochs
     * @param matrix a matrix file
     * @param matrixIds the matrix's ids file
     */
    public ModalityConfig(
            String name,
            String encoder,
            String column,
            List<String> columns,
            String pattern,
            String pooling,
            String timePooling,
            boolean fineTune,
            double fineTuneLr,
            int fineTuneFreezeEpochs,
            String matrix,
            String matrixIds) {
        this(
                name,
                encoder,
                column,
                columns,
                pattern,
                pooling,
                timePooling,
                fineTune,
                fineTuneLr,
                fineTuneFreezeEpochs,
                matrix,
                matrixIds,
                DEFAULT_FRAMES,
                0,
                64,
                600);
    }

    @SuppressWarnings("unchecked")
    static ModalityConfig of(String name, Map<String, Object> m) {
        return new ModalityConfig(
                name,
                (String) m.get("encoder"),
                (String) m.get("column"),
                List.copyOf((List<String>) m.get("columns")),
                (String) m.get("pattern"),
                (String) m.get("pooling"),
                (String) m.get("time_pooling"),
                (Boolean) m.get("fine_tune"),
                (Double) m.get("fine_tune_lr"),
                (Integer) m.get("fine_tune_freeze_epochs"),
                (String) m.get("matrix"),
                (String) m.get("matrix_ids"),
                (Integer) m.get("frames"),
                (Double) m.get("fps"),
                (Integer) m.get("max_frames"),
                (Double) m.get("max_seconds"));
    }

    /** @return the pooling override, if any */
    public Optional<String> poolingOverride() {
        return Optional.ofNullable(pooling);
    }

    /** @return whether this modality reads its vectors from one matrix file ({@code matrix}) */
    public boolean isMatrix() {
        return matrix != null;
    }

    /** @return whether this modality reads numeric manifest columns directly */
    public boolean isTabular() {
        return "columns".equals(encoder);
    }
}

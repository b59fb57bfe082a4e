package dev.btw.djl.export;

/** The metadata keys btw writes into exported ONNX models ({@code metadata_props}). */
public final class OnnxMetadata {

    /** Marks a file as btw's: its value is the format version. */
    public static final String FORMAT = "btw.format";
    /** Modality names in input order, comma-separated. */
    public static final String MODALITIES = "btw.modalities";
    /** JSON map of modality name to input width. */
    public static final String INPUT_DIMS = "btw.input_dims";
    /** {@code regression} or {@code classification}. */
    public static final String TASK = "btw.task";
    /** JSON array of class names (empty for regression). */
    public static final String CLASSES = "btw.classes";
    /**
     * JSON array of modality names: the column order of the graph's second output {@value #MODALITY_WEIGHTS_OUTPUT}
     * {@code [batch, M]}, the weight each modality got per instance (0 where missing).
     */
    public static final String MODALITY_WEIGHTS = "btw.modality_weights";
    /** The name of the graph output holding the per-instance modality weights. */
    public static final String MODALITY_WEIGHTS_OUTPUT = "modality_weights";
    /** The training method. */
    public static final String METHOD = "btw.method";
    /** The training seed. */
    public static final String SEED = "btw.seed";
    /** The inference policy whose weights are baked in. */
    public static final String INFERENCE = "btw.inference";
    /** JSON map of modality name to its inference weight. */
    public static final String WEIGHTS = "btw.weights";
    /** The run's provenance (JSON). */
    public static final String PROVENANCE = "btw.provenance";

    /**
     * In an end-to-end model, JSON: per merged modality, its encoder, the graph inputs that replace the
     * modality's vector input, and the preprocessing that makes them.
     */
    public static final String END_TO_END = "btw.end_to_end";

    /**
     * JSON: per modality whose TorchScript encoder was fine-tuned, the spec folder written beside the file (relative
     * to the file's folder) and its model file's SHA-256 (written by the application's run export).
     */
    public static final String FINE_TUNED_ENCODERS = "btw.fine_tuned_encoders";

    private OnnxMetadata() {}
}

package dev.btw.djl.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads an exported fusion model as a DJL model on the ONNX Runtime engine, ready for
 * {@code model.newPredictor()}.
 *
 * <pre>{@code
 * try (ZooModel<List<FusionInput>, List<FusionOutput>> model = FusionModels.load(Path.of("fusion.onnx"));
 *      Predictor<List<FusionInput>, List<FusionOutput>> predictor = model.newPredictor()) {
 *     FusionInput x = new FusionInput().put("text", textEmbedding).put("audio", null); // audio missing
 *     FusionOutput y = predictor.predict(List.of(x)).get(0);
 *     String label = y.predictedClass();           // classification; y.value() for regression
 *     float textWeight = y.weightOf("text");       // the weight the model gave text for this instance
 * }
 * }</pre>
 *
 * The class names are those the file was exported with ({@code btw export}, or
 * {@code FusionOnnxExporter.optClasses}); {@link FusionOutput#modalityWeights()} holds the graph's second output,
 * the weight each modality got for the instance (0 where missing).
 *
 * For a model exported with {@code --end-to-end}, a merged modality takes its raw value instead:
 * {@code new FusionInput().putRaw("review", "a gripping film").put("labs", labValues)}; the text is tokenised
 * (or the image file loaded) as btw's encoders do, with the encoder spec found by name as {@code btw} finds it.
 */
public final class FusionModels {

    private FusionModels() {}

    /**
     * @param file an ONNX file written by {@code btw export}
     * @return the model
     * @throws BtwException when the file is missing, not ONNX or not btw's
     */
    public static ZooModel<List<FusionInput>, List<FusionOutput>> load(Path file) {
        return load(file, null);
    }

    /**
     * @param file an ONNX file written by {@code btw export}
     * @param device where ONNX Runtime runs it (a GPU needs {@code -Pcuda-ort}), or null for the CPU
     * @return the model
     * @throws BtwException when the file is missing, not ONNX or not btw's
     */
    public static ZooModel<List<FusionInput>, List<FusionOutput>> load(Path file, Device device) {
        if (file == null) {
            throw new BtwException("file is null: pass the path of an ONNX file written by btw export");
        }
        FusionModelInfo info = FusionModelInfo.read(file);
        @SuppressWarnings("unchecked")
        Class<List<FusionInput>> in = (Class<List<FusionInput>>) (Class<?>) List.class;
        @SuppressWarnings("unchecked")
        Class<List<FusionOutput>> out = (Class<List<FusionOutput>>) (Class<?>) List.class;
        FusionTranslator translator = info.endToEnd()
                ? new FusionTranslator(info, new MergedEncoderInputs(info, SpecLocator.defaults(), new AssetFetcher()))
                : new FusionTranslator(info);
        Criteria<List<FusionInput>, List<FusionOutput>> criteria = Criteria.builder()
                .setTypes(in, out)
                .optModelPath(file.toAbsolutePath().getParent())
                .optModelName(baseName(file))
                .optEngine("OnnxRuntime")
                .optTranslator(translator)
                .optDevice(device == null ? Device.cpu() : device)
                .build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new BtwException(file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    /** The folder plus the base name, as DJL's repositories expect: a file path works too, with a warning. */
    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - ".onnx".length()) : n;
    }

    /**
     * @param file an ONNX file written by {@code btw export}
     * @return its metadata
     */
    public static FusionModelInfo info(Path file) {
        if (file == null) {
            throw new BtwException("file is null: pass the path of an ONNX file written by btw export");
        }
        return FusionModelInfo.read(file);
    }
}

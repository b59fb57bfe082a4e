package dev.btw.djl.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.djl.export.OnnxMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DJL translator for exported fusion models: a batch of {@link FusionInput}s becomes one {@code [batch, width]}
 * array per modality (a missing modality is a row of NaN, which the graph masks), or, for an encoder inside an
 * end-to-end model, that encoder's input arrays; the output arrays (the prediction or probabilities, and the modality weights when the file has them) become one
 * {@link FusionOutput} per instance. It builds the batch itself ({@link NoBatchifyTranslator}) because ONNX
 * Runtime arrays cannot be stacked.
 */
public final class FusionTranslator implements NoBatchifyTranslator<List<FusionInput>, List<FusionOutput>> {

    private final FusionModelInfo info;
    private final MergedEncoderInputs merged;

    /** @param info the model's metadata (a model whose inputs are all vectors) */
    public FusionTranslator(FusionModelInfo info) {
        this(info, null);
    }

    /**
     * @param info the model's metadata
     * @param merged for an end-to-end model, what makes its encoders' inputs from raw values; null otherwise
     */
    FusionTranslator(FusionModelInfo info, MergedEncoderInputs merged) {
        if (info.endToEnd() && merged == null) {
            throw new IllegalArgumentException("an end-to-end model needs its encoders' preprocessing");
        }
        this.info = info;
        this.merged = merged;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<FusionInput> batch) {
        check(batch);
        NDManager manager = ctx.getNDManager();
        Map<String, NDArray> arrays = new HashMap<>();
        for (Map.Entry<String, Integer> m : info.modalities().entrySet()) {
            if (info.merged().containsKey(m.getKey())) {
                continue;
            }
            int width = m.getValue();
            float[] flat = new float[batch.size() * width];
            for (int i = 0; i < batch.size(); i++) {
                float[] e = batch.get(i).embeddings().get(m.getKey());
                if (e == null) {
                    Arrays.fill(flat, i * width, (i + 1) * width, Float.NaN);
                } else if (e.length != width) {
                    throw new BtwException("modality '" + m.getKey() + "': embedding of width " + e.length
                            + " given, the model expects " + width);
                } else {
                    System.arraycopy(e, 0, flat, i * width, width);
                }
            }
            arrays.put(m.getKey(), manager.create(flat, new Shape(batch.size(), width)));
        }
        if (merged != null) {
            arrays.putAll(merged.arrays(manager, batch));
        }
        NDList list = new NDList();
        for (String name : info.graphInputs()) {
            NDArray array = arrays.get(name);
            if (array == null) {
                throw new BtwException("the model's input '" + name + "' is not made by btw's translator; "
                        + "was the file edited after 'btw export'?");
            }
            array.setName(name);
            list.add(array);
        }
        return list;
    }

    private void check(List<FusionInput> batch) {
        for (FusionInput in : batch) {
            for (String name : in.embeddings().keySet()) {
                if (!info.modalities().containsKey(name)) {
                    throw new BtwException("unknown modality '" + name + "'; the model takes "
                            + String.join(", ", info.modalities().keySet()));
                }
                if (info.merged().containsKey(name)) {
                    throw new BtwException("modality '" + name + "' is encoded inside this end-to-end model: "
                            + "give its raw value with putRaw, not an embedding");
                }
            }
            for (String name : in.raw().keySet()) {
                if (!info.merged().containsKey(name)) {
                    throw new BtwException("modality '" + name + "' takes an embedding in this model (put), not a "
                            + "raw value; raw values go to "
                            + (info.merged().isEmpty()
                                    ? "end-to-end models only"
                                    : String.join(", ", info.merged().keySet())));
                }
            }
        }
    }

    @Override
    public List<FusionOutput> processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.get(info.outputName());
        if (out == null) {
            out = list.get(0);
        }
        int rows = (int) out.getShape().get(0);
        int cols = (int) out.getShape().get(1);
        float[] flat = out.toFloatArray();
        List<String> classes = info.classes();
        if (info.task() == Task.CLASSIFICATION && classes.isEmpty()) {
            // a file exported without class names: the classes are their indices
            classes = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                classes.add(Integer.toString(c));
            }
        }
        List<String> weighted = info.weightedModalities();
        NDArray weightsArray = weighted.isEmpty() ? null : list.get(OnnxMetadata.MODALITY_WEIGHTS_OUTPUT);
        float[] weights = weightsArray == null ? null : weightsArray.toFloatArray();
        List<FusionOutput> outputs = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            Map<String, Float> w = new LinkedHashMap<>();
            if (weights != null) {
                for (int j = 0; j < weighted.size(); j++) {
                    w.put(weighted.get(j), weights[i * weighted.size() + j]);
                }
            }
            outputs.add(new FusionOutput(info.task(), Arrays.copyOfRange(flat, i * cols, (i + 1) * cols), classes, w));
        }
        return outputs;
    }
}

package dev.btw.djl.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * DJL translator for exported fusion models: a batch of {@link FusionInput}s becomes one {@code [batch, width]}
 * array per modality (a missing modality is a row of NaN, which the graph masks), and the output array becomes
 * one {@link FusionOutput} per instance. It builds the batch itself ({@link NoBatchifyTranslator}) because ONNX
 * Runtime arrays cannot be stacked.
 */
public final class FusionTranslator implements NoBatchifyTranslator<List<FusionInput>, List<FusionOutput>> {

    private final FusionModelInfo info;

    /** @param info the model's metadata */
    public FusionTranslator(FusionModelInfo info) {
        this.info = info;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<FusionInput> batch) {
        NDManager manager = ctx.getNDManager();
        NDList list = new NDList();
        for (Map.Entry<String, Integer> m : info.modalities().entrySet()) {
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
            NDArray array = manager.create(flat, new Shape(batch.size(), width));
            array.setName(m.getKey());
            list.add(array);
        }
        for (FusionInput in : batch) {
            for (String name : in.embeddings().keySet()) {
                if (!info.modalities().containsKey(name)) {
                    throw new BtwException("unknown modality '" + name + "'; the model takes "
                            + String.join(", ", info.modalities().keySet()));
                }
            }
        }
        return list;
    }

    @Override
    public List<FusionOutput> processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.get(0);
        int rows = (int) out.getShape().get(0);
        int cols = (int) out.getShape().get(1);
        float[] flat = out.toFloatArray();
        List<FusionOutput> outputs = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            outputs.add(new FusionOutput(Arrays.copyOfRange(flat, i * cols, (i + 1) * cols), info.classes()));
        }
        return outputs;
    }
}

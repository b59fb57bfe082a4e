package dev.btw.app.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.btw.djl.model.MoeFusionBlock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The block DJL's {@code Trainer} trains when modalities are fine-tuned: the fine-tuned modalities' TorchScript
 * encoders in front of the {@link MoeFusionBlock}, as its children. Its inputs are the fusion block's (one array per
 * modality, weights, mask) plus each instance's index into the run's instance list (the {@code FusionDataset}s'
 * {@code optIndexInput}, one offset per split); a fine-tuned modality's array is replaced by its encoder's output on
 * that instance's cached images. In training, an encoder past its freeze epochs runs in training mode and registers
 * its parameters with the trainer's parameter store, so that {@code Trainer.step} updates them with the fusion
 * model's.
 */
final class FineTunedFusionBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MoeFusionBlock fusion;
    private final TrainableEncoder[] byPosition;
    private final List<String> ids;
    private final IntSupplier epoch;
    private final Map<String, String> prefixes = new LinkedHashMap<>();

    /**
     * @param fusion the fusion block, initialised
     * @param encoders the fine-tuned encoders by modality
     * @param ids every instance of the run, in the order the index inputs count (train, then val, then test)
     * @param epoch the epoch being trained, from 1 (encoders stay frozen for their first epochs)
     */
    FineTunedFusionBlock(
            MoeFusionBlock fusion, Map<String, TrainableEncoder> encoders, List<String> ids, IntSupplier epoch) {
        super(VERSION);
        this.fusion = fusion;
        this.ids = ids;
        this.epoch = epoch;
        addChildBlock("fusion", fusion);
        List<String> names = fusion.spec().modalityNames();
        this.byPosition = new TrainableEncoder[names.size()];
        for (Map.Entry<String, TrainableEncoder> e : encoders.entrySet()) {
            byPosition[names.indexOf(e.getKey())] = e.getValue();
            String child = "encoder_" + e.getKey();
            addChildBlock(child, e.getValue().block());
        }
        // the children's keys carry a position prefix ("02encoder_digit"): parameters are named key + "_" + name
        for (String key : getChildren().keys()) {
            if (key.contains("encoder_")) {
                prefixes.put(key.substring(key.indexOf("encoder_") + "encoder_".length()), key + "_");
            }
        }
    }

    /** @return the prefix of each fine-tuned modality's parameter names, by modality */
    Map<String, String> parameterPrefixes() {
        return prefixes;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int m = byPosition.length;
        if (inputs.size() != m + 3) {
            throw new IllegalArgumentException("the fine-tuning block takes " + (m + 3)
                    + " inputs (modalities, weights, mask, instance index), got " + inputs.size());
        }
        long[] index = inputs.get(m + 2).toLongArray();
        int[] rows = new int[index.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Math.toIntExact(index[i]);
        }
        float[] mask = inputs.get(m + 1).toFloatArray();
        NDList in = new NDList(m + 2);
        for (int j = 0; j < m; j++) {
            TrainableEncoder encoder = byPosition[j];
            if (encoder == null) {
                in.add(inputs.get(j));
                continue;
            }
            boolean trains = training && encoder.trains(epoch.getAsInt());
            if (trains) {
                for (Pair<String, Parameter> p : encoder.block().getParameters()) {
                    ps.getValue(p.getValue(), inputs.get(j).getDevice(), true);
                }
            }
            float[] has = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                has[i] = mask[i * m + j];
            }
            NDArray out = encoder.forward(inputs.get(j).getManager(), ids, rows, has, trains);
            in.add(out);
        }
        in.add(inputs.get(m));
        in.add(inputs.get(m + 1));
        return fusion.forward(ps, in, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // both children come initialised: the fusion block by FusionModel, the encoders with their loaded weights
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int m = byPosition.length;
        Shape[] shapes = new Shape[m + 2];
        long b = inputShapes[0].get(0);
        List<String> names = fusion.spec().modalityNames();
        for (int j = 0; j < m; j++) {
            shapes[j] = new Shape(b, fusion.spec().inputDims().get(names.get(j)));
        }
        shapes[m] = inputShapes[m];
        shapes[m + 1] = inputShapes[m + 1];
        return fusion.getOutputShapes(shapes);
    }
}

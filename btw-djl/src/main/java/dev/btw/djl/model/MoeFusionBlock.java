package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The multimodal MoE fusion model of docs/METHOD.md as one DJL block.
 *
 * <p>Inputs (an {@link NDList} of M + 2 arrays): the embedding of each modality in {@link MoeFusionSpec} order,
 * {@code [B, d_m]}; the BTW weights {@code [B, M]} (constants: never differentiated); the presence mask
 * {@code [B, M]} (1 present, 0 missing). Outputs: the prediction {@code [B, out]} (a value for regression,
 * logits for classification) and the auxiliary load-balancing loss, a scalar (0 when off or in evaluation).
 *
 * <p>Each projected embedding is multiplied by its weight, by its presence and by {@code sqrt(d)}; L fusion
 * layers follow; then a LayerNorm per modality, the concatenation in modality order, and the head. Training
 * randomness (gating noise, dropout) comes from {@link #setTrainingNoise} when set, else from the engine.
 *
 * <p>Children, in order: {@code projection_<modality>} per modality, {@code layer<i>} per layer, {@code head};
 * own parameters {@code final_norm_gamma [M, 1, d]}, {@code final_norm_beta [M, 1, d]}. See {@code docs/MODEL.md} for
 * the full parameter list.
 *
 * <p>Every operation puts the per-step array first, so intermediate results live on the inputs' manager (open
 * a sub-manager per step) and never accumulate on the parameters' manager.
 */
public final class MoeFusionBlock extends FusionBlockBase {

    /**
     * Optional key of {@code forward}'s {@code params}: the presence mask as the caller already holds it on the
     * host, a {@code float[M * B]} laid out {@code m * B + b} (1 present, 0 missing), equal to the mask input.
     * The sparse routing needs the mask on the host; with this the block does not copy it back from the device
     * on every forward pass. Without it the block reads the mask input.
     */
    public static final String HOST_PRESENCE = "btw.host_presence";

    private final MoeFusionSpec spec;
    private final List<ModalityProjection> projections = new ArrayList<>();
    private final List<FusionLayerBlock> layers = new ArrayList<>();
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final FusionHead head;
    private TrainingNoise noise;

    /** @param spec the sizes and options */
    public MoeFusionBlock(MoeFusionSpec spec) {
        this.spec = spec;
        int m = spec.modalityCount();
        int d = spec.hidden();
        for (String name : spec.modalityNames()) {
            projections.add(addChildBlock("projection_" + name, new ModalityProjection(spec.inputDim(name), d)));
        }
        for (int i = 0; i < spec.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new FusionLayerBlock(spec)));
        }
        finalGamma = addParameter(Params.ones("final_norm_gamma", new Shape(m, 1, d)));
        finalBeta = addParameter(Params.zeros("final_norm_beta", new Shape(m, 1, d)));
        head = addChildBlock("head", new FusionHead(spec));
    }

    /** @return the spec this block was built from */
    public MoeFusionSpec spec() {
        return spec;
    }

    /**
     * Sets the source of training randomness; the trainer reseeds it before every step.
     *
     * @param noise the source, or null to use the engine's generator
     */
    public void setTrainingNoise(TrainingNoise noise) {
        this.noise = noise;
    }

    /**
     * Input shapes for {@link #initialize}: one row per input.
     *
     * @param batch the batch size of the shapes
     * @return the M + 2 input shapes
     */
    public Shape[] inputShapes(long batch) {
        int m = spec.modalityCount();
        Shape[] shapes = new Shape[m + 2];
        for (int i = 0; i < m; i++) {
            shapes[i] = new Shape(batch, spec.inputDim(spec.modalityNames().get(i)));
        }
        shapes[m] = new Shape(batch, m);
        shapes[m + 1] = new Shape(batch, m);
        return shapes;
    }

    /**
     * Initialises every parameter (Xavier-normal weights, zero biases, unit norms) on the manager's device.
     *
     * @param manager where the parameters live
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, inputShapes(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int m = spec.modalityCount();
        int d = spec.hidden();
        if (inputs.size() != m + 2) {
            throw new IllegalArgumentException("MoeFusionBlock expects " + (m + 2) + " inputs, got " + inputs.size());
        }
        NDArray first = inputs.get(0);
        NDManager manager = first.getManager();
        long batch = first.getShape().get(0);
        NDArray mask = inputs.get(m + 1);
        NDArray weights = inputs.get(m).stopGradient();
        NDArray maskT = mask.transpose();
        float[] present = hostPresence(params, m * batch);
        if (present == null) {
            present = maskT.toFloatArray();
        }
        NDArray mask3 = maskT.expandDims(2);
        NDArray scale = weights.mul(mask)
                .mul(OwnedArrays.scalar(weights, (float) Math.sqrt(d)))
                .transpose()
                .expandDims(2);

        NDList projected = new NDList(m);
        for (int i = 0; i < m; i++) {
            projected.add(projections.get(i).applySingle(ps, inputs.get(i), training));
        }
        NDArray h = NDArrays.stack(projected, 0).mul(scale);
        NDArray aux = null;
        for (FusionLayerBlock layer : layers) {
            SparseMoeBlock.Output out = layer.apply(ps, h, present, mask3, training, noise);
            h = out.value();
            if (out.auxLoss() != null) {
                aux = aux == null ? out.auxLoss() : aux.add(out.auxLoss());
            }
        }
        NDArray ones = manager.ones(new Shape(d), DataType.FLOAT32, first.getDevice());
        NDArray zeros = manager.zeros(new Shape(d), DataType.FLOAT32, first.getDevice());
        NDArray normed =
                LayerNorm.layerNorm(h, new Shape(d), ones, zeros, 1e-5f).singletonOrThrow();
        normed = normed.mul(value(ps, finalGamma, first, training))
                .add(value(ps, finalBeta, first, training))
                .mul(mask3);
        NDArray concat = normed.transpose(1, 0, 2).reshape(batch, (long) m * d);
        NDArray prediction = head.apply(ps, concat, training, noise);
        if (aux == null) {
            aux = manager.zeros(new Shape(), DataType.FLOAT32, first.getDevice());
        }
        return new NDList(prediction, aux);
    }

    private static float[] hostPresence(PairList<String, Object> params, long size) {
        Object v = params == null ? null : params.get(HOST_PRESENCE);
        if (v == null) {
            return null;
        }
        float[] present = (float[]) v;
        if (present.length != size) {
            throw new IllegalArgumentException(
                    HOST_PRESENCE + " holds " + present.length + " flags, the batch has " + size);
        }
        return present;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), spec.outputs()), new Shape()};
    }
}

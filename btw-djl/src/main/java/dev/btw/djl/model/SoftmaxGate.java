package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Softmax gating: {@code logits = x W_gate}, one matrix per modality. Parameters: {@code weight [M, d, E]} and
 * {@code noise_weight [M, d, E]}.
 */
public final class SoftmaxGate extends ModalityGate {

    private final Parameter weight;

    /** @param spec the model spec */
    public SoftmaxGate(MoeFusionSpec spec) {
        super(spec);
        weight = addParameter(Params.xavier("weight", new Shape(modalities, hidden, experts), hidden, experts));
    }

    @Override
    protected NDArray cleanLogits(ParameterStore ps, NDArray x, boolean training) {
        return x.matMul(value(ps, weight, x, training));
    }
}

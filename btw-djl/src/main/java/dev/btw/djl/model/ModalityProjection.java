package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Projects one modality's embedding to the fusion width: {@code Linear(d_in -> d), ReLU, Linear(d -> d)}.
 * Parameters: {@code in_weight [d, d_in]}, {@code in_bias [d]}, {@code out_weight [d, d]}, {@code out_bias [d]}.
 */
public final class ModalityProjection extends FusionBlockBase {

    private final int hidden;
    private final Parameter inWeight;
    private final Parameter inBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    /**
     * @param inputDim the modality's embedding width
     * @param hidden the fusion width d
     */
    public ModalityProjection(int inputDim, int hidden) {
        this.hidden = hidden;
        inWeight = addParameter(Params.linearWeight("in_weight", hidden, inputDim));
        inBias = addParameter(Params.zeros("in_bias", new Shape(hidden)));
        outWeight = addParameter(Params.linearWeight("out_weight", hidden, hidden));
        outBias = addParameter(Params.zeros("out_bias", new Shape(hidden)));
    }

    @Override
    NDArray applySingle(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Linear.linear(x, value(ps, inWeight, x, training), value(ps, inBias, x, training))
                .singletonOrThrow();
        h = Activation.relu(h);
        return Linear.linear(h, value(ps, outWeight, x, training), value(ps, outBias, x, training))
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), hidden)};
    }
}

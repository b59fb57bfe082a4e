package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/**
 * The pre-LayerNorm feed-forward step (c) of a fusion layer: {@code x + Linear(f -> d)(ReLU(Linear(d -> f)(LN(x))))}.
 * Shared by all modalities. Parameters: {@code norm_gamma [d]}, {@code norm_beta [d]}, {@code in_weight [f, d]},
 * {@code in_bias [f]}, {@code out_weight [d, f]}, {@code out_bias [d]}.
 */
public final class FeedForwardBlock extends FusionBlockBase {

    private final int hidden;
    private final Parameter normGamma;
    private final Parameter normBeta;
    private final Parameter inWeight;
    private final Parameter inBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    /**
     * @param hidden the fusion width d
     * @param ffHidden the hidden width f
     */
    public FeedForwardBlock(int hidden, int ffHidden) {
        this.hidden = hidden;
        normGamma = addParameter(Params.ones("norm_gamma", new Shape(hidden)));
        normBeta = addParameter(Params.zeros("norm_beta", new Shape(hidden)));
        inWeight = addParameter(Params.linearWeight("in_weight", ffHidden, hidden));
        inBias = addParameter(Params.zeros("in_bias", new Shape(ffHidden)));
        outWeight = addParameter(Params.linearWeight("out_weight", hidden, ffHidden));
        outBias = addParameter(Params.zeros("out_bias", new Shape(hidden)));
    }

    /**
     * @param x rows {@code [..., d]}
     * @return rows of the same shape
     */
    @Override
    NDArray applySingle(ParameterStore ps, NDArray x, boolean training) {
        NDArray n = LayerNorm.layerNorm(
                        x,
                        new Shape(hidden),
                        value(ps, normGamma, x, training),
                        value(ps, normBeta, x, training),
                        1e-5f)
                .singletonOrThrow();
        NDArray h = Activation.relu(Linear.linear(n, value(ps, inWeight, x, training), value(ps, inBias, x, training))
                .singletonOrThrow());
        return x.add(Linear.linear(h, value(ps, outWeight, x, training), value(ps, outBias, x, training))
                .singletonOrThrow());
    }
}

package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/**
 * The local mixing step (a) of a fusion layer: the d-wide vector is one channel of length d; {@code Conv1d(k=3,
 * pad 1)}, {@code Conv1d(k=1)}, ReLU, add the input, LayerNorm. Shared by all modalities (it sees every
 * modality's vector as one more row). Parameters: {@code conv3_weight [1, 1, 3]}, {@code conv3_bias [1]},
 * {@code conv1_weight [1, 1, 1]}, {@code conv1_bias [1]}, {@code norm_gamma [d]}, {@code norm_beta [d]}.
 */
public final class LocalMixingBlock extends FusionBlockBase {

    private static final Shape ONE = new Shape(1);
    private final int hidden;
    private final Parameter conv3Weight;
    private final Parameter conv3Bias;
    private final Parameter conv1Weight;
    private final Parameter conv1Bias;
    private final Parameter normGamma;
    private final Parameter normBeta;

    /** @param hidden the fusion width d */
    public LocalMixingBlock(int hidden) {
        this.hidden = hidden;
        conv3Weight = addParameter(Params.xavier("conv3_weight", new Shape(1, 1, 3), 3, 3));
        conv3Bias = addParameter(Params.zeros("conv3_bias", ONE));
        conv1Weight = addParameter(Params.xavier("conv1_weight", new Shape(1, 1, 1), 1, 1));
        conv1Bias = addParameter(Params.zeros("conv1_bias", ONE));
        normGamma = addParameter(Params.ones("norm_gamma", new Shape(hidden)));
        normBeta = addParameter(Params.zeros("norm_beta", new Shape(hidden)));
    }

    /**
     * @param x rows of width d, {@code [N, d]}
     * @return the mixed rows, {@code [N, d]}
     */
    @Override
    NDArray applySingle(ParameterStore ps, NDArray x, boolean training) {
        NDArray c = x.expandDims(1);
        c = Conv1d.conv1d(c, value(ps, conv3Weight, x, training), value(ps, conv3Bias, x, training), ONE, ONE, ONE)
                .singletonOrThrow();
        c = Conv1d.conv1d(c, value(ps, conv1Weight, x, training), value(ps, conv1Bias, x, training))
                .singletonOrThrow();
        NDArray y = Activation.relu(c.squeeze(1)).add(x);
        return LayerNorm.layerNorm(
                        y,
                        new Shape(hidden),
                        value(ps, normGamma, x, training),
                        value(ps, normBeta, x, training),
                        1e-5f)
                .singletonOrThrow();
    }
}

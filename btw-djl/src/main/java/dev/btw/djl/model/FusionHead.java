package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * The prediction head: {@code Dropout(p), Linear(d*M -> h), tanh, Linear(h -> h), tanh, Linear(h -> out)}.
 * Parameters: {@code in_weight [h, d*M]}, {@code in_bias [h]}, {@code mid_weight [h, h]}, {@code mid_bias [h]},
 * {@code out_weight [out, h]}, {@code out_bias [out]}.
 */
public final class FusionHead extends FusionBlockBase {

    private final float dropout;
    private final int outputs;
    private final Parameter inWeight;
    private final Parameter inBias;
    private final Parameter midWeight;
    private final Parameter midBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    /** @param spec the model spec */
    public FusionHead(MoeFusionSpec spec) {
        int in = spec.hidden() * spec.modalityCount();
        int hh = spec.headHidden();
        dropout = spec.dropout();
        outputs = spec.outputs();
        inWeight = addParameter(Params.linearWeight("in_weight", hh, in));
        inBias = addParameter(Params.zeros("in_bias", new Shape(hh)));
        midWeight = addParameter(Params.linearWeight("mid_weight", hh, hh));
        midBias = addParameter(Params.zeros("mid_bias", new Shape(hh)));
        outWeight = addParameter(Params.linearWeight("out_weight", outputs, hh));
        outBias = addParameter(Params.zeros("out_bias", new Shape(outputs)));
    }

    /**
     * @param ps the parameter store
     * @param x the concatenated modality vectors {@code [B, d*M]}
     * @param training whether training (dropout is active only then)
     * @param noise the Java noise source for the dropout mask, or null for the engine's
     * @return predictions {@code [B, out]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training, TrainingNoise noise) {
        NDArray in = x;
        if (training && dropout > 0f) {
            Shape shape = x.getShape();
            NDArray u = noise == null
                    ? x.getManager().randomUniform(0f, 1f, shape)
                    : OwnedArrays.of(x.getManager(), noise.uniform((int) shape.size()), shape, x.getDevice());
            NDArray keep = u.gte(dropout).toType(x.getDataType(), false);
            in = x.mul(keep).mul(OwnedArrays.scalar(x, 1f / (1f - dropout)));
        }
        NDArray h = Linear.linear(in, value(ps, inWeight, x, training), value(ps, inBias, x, training))
                .singletonOrThrow()
                .tanh();
        h = Linear.linear(h, value(ps, midWeight, x, training), value(ps, midBias, x, training))
                .singletonOrThrow()
                .tanh();
        return Linear.linear(h, value(ps, outWeight, x, training), value(ps, outBias, x, training))
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }
}

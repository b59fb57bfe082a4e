package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.btw.core.config.GatingKind;

/**
 * One gate per modality, held as stacked parameters (row m belongs to the m-th modality in input order). In
 * training with noisy gating the logits get {@code N(0,1) * (softplus(x W_noise) + epsilon)}; in evaluation they
 * are exact. Parameter shared by all gate kinds: {@code noise_weight [M, d, E]} (zero-initialised, as in the
 * reference).
 */
public abstract class ModalityGate extends FusionBlockBase {

    /** Modality count M. */
    protected final int modalities;
    /** Fusion width d. */
    protected final int hidden;
    /** Expert count E. */
    protected final int experts;

    private final boolean noisy;
    private final float noiseEpsilon;
    private final Parameter noiseWeight;

    /**
     * @param spec the model spec
     */
    protected ModalityGate(MoeFusionSpec spec) {
        modalities = spec.modalityCount();
        hidden = spec.hidden();
        experts = spec.experts();
        noisy = spec.noisyGating();
        noiseEpsilon = spec.noiseEpsilon();
        noiseWeight = addParameter(Params.zeros("noise_weight", new Shape(modalities, hidden, experts)));
    }

    /**
     * Creates the gate the spec asks for.
     *
     * @param spec the model spec
     * @return a {@link LaplaceGate} or a {@link SoftmaxGate}
     */
    public static ModalityGate of(MoeFusionSpec spec) {
        return spec.gating() == GatingKind.LAPLACE ? new LaplaceGate(spec) : new SoftmaxGate(spec);
    }

    /**
     * The noise-free logits.
     *
     * @param ps the parameter store
     * @param x tokens per modality, {@code [M, B, d]}
     * @param training whether training
     * @return logits {@code [M, B, E]}
     */
    protected abstract NDArray cleanLogits(ParameterStore ps, NDArray x, boolean training);

    /**
     * The gating logits, noisy in training when the spec says so.
     *
     * @param ps the parameter store
     * @param x tokens per modality, {@code [M, B, d]}
     * @param training whether training
     * @param noise the Java noise source, or null to draw from the engine
     * @return logits {@code [M, B, E]}
     */
    public NDArray logits(ParameterStore ps, NDArray x, boolean training, TrainingNoise noise) {
        NDArray clean = cleanLogits(ps, x, training);
        if (!training || !noisy) {
            return clean;
        }
        NDArray std = Activation.softPlus(x.matMul(value(ps, noiseWeight, x, training)))
                .add(OwnedArrays.scalar(x, noiseEpsilon));
        NDManager m = x.getManager();
        Shape shape = clean.getShape();
        NDArray n = noise == null
                ? m.randomNormal(shape)
                : OwnedArrays.of(m, noise.normal((int) shape.size()), shape, x.getDevice());
        return clean.add(n.mul(std));
    }
}

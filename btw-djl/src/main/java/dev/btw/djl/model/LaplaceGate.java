package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Laplace gating: {@code logit_e = -||x - g_e||_2}, with one set of expert centres per modality. Parameters:
 * {@code centres [M, d, E]} (column e of slice m is the centre g_e of modality m) and {@code noise_weight [M, d, E]}.
 */
public final class LaplaceGate extends ModalityGate {

    private final Parameter centres;

    /** @param spec the model spec */
    public LaplaceGate(MoeFusionSpec spec) {
        super(spec);
        centres = addParameter(Params.xavier("centres", new Shape(modalities, hidden, experts), hidden, experts));
    }

    @Override
    protected NDArray cleanLogits(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = value(ps, centres, x, training);
        NDArray cross = x.matMul(g);
        NDArray x2 = x.square().sum(new int[] {2}, true);
        // a per-step array first, so that the result lives on the step's manager, not the parameters'
        NDArray g2 = OwnedArrays.of(x.getManager(), new float[] {1f}, new Shape(), x.getDevice())
                .mul(g)
                .square()
                .sum(new int[] {1}, true);
        NDArray d2 =
                x2.add(g2).sub(cross.mul(OwnedArrays.scalar(cross, 2f))).maximum(OwnedArrays.scalar(cross, 1e-12f));
        return d2.sqrt().neg();
    }
}

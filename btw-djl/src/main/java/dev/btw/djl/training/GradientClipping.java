package dev.btw.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;

/**
 * Clips the global L2 norm of all gradients before each optimiser step, as {@code btw train} does with
 * {@code train.clip}: when the norm over every trainable parameter's gradient exceeds the limit, each gradient
 * is scaled by {@code limit / norm}. Add it to a {@code DefaultTrainingConfig} like any DJL listener; DJL's
 * {@code EasyTrain} calls it after the backward pass and before {@code Trainer.step()}.
 *
 * <pre>{@code
 * config.addTrainingListeners(new GradientClipping(0.8f));
 * }</pre>
 *
 * <p>With {@link FusedAdam} use its {@code optClipGradNorm} instead (the same clip in the optimiser's kernel call);
 * under a {@link FusionTrainer} the gradients live on per-step leaves and this listener would see none.
 */
public final class GradientClipping extends TrainingListenerAdapter {

    private final float limit;
    private double lastNorm = Double.NaN;

    /**
     * @param limit the largest global gradient norm; greater than 0
     * @throws IllegalArgumentException when the limit is not positive
     */
    public GradientClipping(float limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("the gradient-norm limit must be greater than 0, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        // every array made here (the gradients' handles, the squares) lives in one sub-manager, closed per batch,
        // and the norm is read from the device once per batch, not once per parameter
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDList grads = new NDList();
            NDList norms = new NDList();
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                NDArray array = p.getValue().getArray();
                if (p.getValue().requiresGradient() && array.hasGradient()) {
                    NDArray g = array.getGradient();
                    g.attach(sub);
                    grads.add(g);
                    // one pass over the gradient, no temporary of its size
                    NDArray norm = g.norm();
                    norm.attach(sub);
                    norms.add(norm);
                }
            }
            if (grads.isEmpty()) {
                return;
            }
            NDArray total =
                    NDArrays.stack(norms).toType(DataType.FLOAT64, false).norm();
            total.attach(sub);
            lastNorm = total.getDouble();
            if (lastNorm > limit) {
                float factor = (float) (limit / (lastNorm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(factor);
                }
            }
        }
    }

    /** @return the global gradient norm of the last batch, before clipping (NaN before the first batch) */
    public double lastNorm() {
        return lastNorm;
    }

    @Override
    public String toString() {
        return "GradientClipping{limit=" + limit + ", lastNorm=" + lastNorm + "}";
    }
}

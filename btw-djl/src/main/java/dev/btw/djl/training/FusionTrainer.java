package dev.btw.djl.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link Trainer} for training with {@link FusedAdam}: use it where {@code model.newTrainer(config)} would go
 * ({@code new FusionTrainer(model, config)}); {@code EasyTrain.fit}, the listeners and the datasets work as with any
 * trainer, and it updates the parameters exactly as {@code Trainer} with the same {@code FusedAdam} does, faster.
 *
 * <p>Written by hand for speed, measured ({@code btw bench train}, docs/PERFORMANCE.md): in a training forward pass
 * the blocks read each parameter as a fresh leaf of the step (a view of its storage that requires a gradient), so
 * the backward pass writes every gradient into a new buffer instead of adding it into a zeroed persistent one, and
 * {@link #step()} hands those gradients to the optimiser's one multi-tensor step without the copy of every gradient
 * that {@code Trainer.step()} makes for its parameter server, and without zeroing them afterwards (the leaves die
 * with the step). Parameters a block uses without asking the parameter store (a TorchScript encoder's) keep their
 * own gradients, which the step uses and zeroes.
 *
 * <p>Because gradients live on the leaves, a listener that reads {@code parameter.getArray().getGradient()} (such as
 * {@link GradientClipping}) sees none here: clip with {@link FusedAdam.Builder#optClipGradNorm} instead.
 */
public class FusionTrainer extends Trainer {

    private final FusedAdam optimiser;
    private final StepLeaves leaves;

    /**
     * @param model the model, its block initialised
     * @param config the training config; its optimiser must be a {@link FusedAdam} over the block's parameters
     * @throws IllegalArgumentException when the optimiser is another one
     */
    public FusionTrainer(Model model, TrainingConfig config) {
        super(model, config);
        if (!(config.getOptimizer() instanceof FusedAdam)) {
            throw new IllegalArgumentException("FusionTrainer trains with a FusedAdam optimiser, the config has "
                    + config.getOptimizer() + "; use model.newTrainer(config) for other optimisers");
        }
        this.optimiser = (FusedAdam) config.getOptimizer();
        this.leaves = new StepLeaves(getManager());
    }

    @Override
    public NDList forward(NDList input) {
        long begin = System.nanoTime();
        try {
            return getModel().getBlock().forward(leaves.begin(), input, true);
        } finally {
            addMetric("forward", begin);
        }
    }

    @Override
    public NDList forward(NDList data, NDList labels) {
        long begin = System.nanoTime();
        try {
            return getModel().getBlock().forward(leaves.begin(), data, labels, null);
        } finally {
            addMetric("forward", begin);
        }
    }

    @Override
    public void step() {
        long begin = System.nanoTime();
        try {
            List<FusedAdam.Pending> step = new ArrayList<>();
            for (Map.Entry<Parameter, NDArray> e : leaves.leaves.entrySet()) {
                Parameter p = e.getKey();
                if (!optimiser.knows(p.getId())) {
                    throw new IllegalStateException("FusedAdam: parameter " + p.getName()
                            + " was not among setParameters (pass the trained block's getParameters())");
                }
                NDArray grad = JniUtils.getGradient((PtNDArray) e.getValue());
                if (grad != null) {
                    grad.attach(leaves.step);
                    step.add(new FusedAdam.Pending(p.getId(), p.getArray(), grad, false));
                    continue;
                }
                // a parameter its block used directly (a TorchScript encoder's): its own gradient, zeroed after
                NDArray own = JniUtils.getGradient((PtNDArray) p.getArray());
                if (own != null) {
                    own.attach(leaves.step);
                    step.add(new FusedAdam.Pending(p.getId(), p.getArray(), own, true));
                }
            }
            optimiser.applyStep(step);
        } finally {
            leaves.end();
            addMetric("step", begin);
        }
    }

    @Override
    public void close() {
        leaves.end();
        super.close();
    }

    /** A parameter store that hands training forward passes one leaf per parameter and step. */
    private static final class StepLeaves extends ParameterStore {

        private final NDManager parent;
        private final Map<Parameter, NDArray> leaves = new LinkedHashMap<>();
        private NDManager step;

        StepLeaves(NDManager parent) {
            super(parent, false);
            this.parent = parent;
        }

        ParameterStore begin() {
            if (step == null) {
                step = parent.newSubManager();
            }
            return this;
        }

        void end() {
            leaves.clear();
            if (step != null) {
                step.close();
                step = null;
            }
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null || step == null || !training || !parameter.requiresGradient()) {
                return super.getValue(parameter, device, training);
            }
            return leaves.computeIfAbsent(parameter, p -> {
                NDArray leaf = p.getArray().stopGradient();
                leaf.attach(step);
                leaf.setRequiresGradient(true);
                return leaf;
            });
        }
    }
}

package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * A parameter store that, during a training step, hands the blocks a fresh leaf per parameter: a detached view
 * of the parameter's storage that requires a gradient. The backward pass then stores each gradient as a new
 * buffer on that leaf instead of adding it into a persistent gradient that had to be zeroed first: for this
 * model's stacked expert weights that saves two passes over tens of megabytes per step. The leaves (and their
 * gradients) die with the step's manager; the optimiser updates the parameters' storage in place. Outside a step,
 * and in evaluation, the parameters' own arrays are returned.
 */
final class StepParameterStore extends ParameterStore {

    private final Map<String, NDArray> leaves = new HashMap<>();
    private NDManager step;

    /** @param manager the model's manager */
    StepParameterStore(NDManager manager) {
        super(manager, false);
    }

    /**
     * Starts a step: leaves created from now on live on {@code stepManager}.
     *
     * @param stepManager the step's sub-manager
     */
    void begin(NDManager stepManager) {
        step = stepManager;
        leaves.clear();
    }

    /**
     * @param parameter a parameter
     * @return the gradient its leaf received in this step, or null when it took no part
     */
    NDArray gradient(Parameter parameter) {
        NDArray leaf = leaves.get(parameter.getId());
        return leaf == null ? null : leaf.getGradient();
    }

    /** Ends the step (the leaves close with the step's manager). */
    void end() {
        step = null;
        leaves.clear();
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null || step == null || !training || !parameter.requiresGradient()) {
            return super.getValue(parameter, device, training);
        }
        return leaves.computeIfAbsent(parameter.getId(), id -> {
            NDArray leaf = parameter.getArray().stopGradient();
            leaf.attach(step);
            leaf.setRequiresGradient(true);
            return leaf;
        });
    }
}

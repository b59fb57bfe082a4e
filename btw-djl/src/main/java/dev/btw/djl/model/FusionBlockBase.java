package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Common base of the fusion sub-blocks: parameter shapes are fixed at construction, so {@code prepare} has
 * nothing to infer; a block's work is in a typed {@code apply} method that its parent calls directly.
 */
abstract class FusionBlockBase extends AbstractBlock {

    private static final byte VERSION = 1;

    FusionBlockBase() {
        super(VERSION);
    }

    /** @return the array of a parameter for the device of {@code like}. */
    static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(applySingle(ps, inputs.singletonOrThrow(), training));
    }

    /**
     * One-input form used by {@link #forwardInternal}; blocks with richer inputs override
     * {@code forwardInternal} instead.
     */
    NDArray applySingle(ParameterStore ps, NDArray x, boolean training) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is applied by its parent block");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Parameter shapes are fixed at construction: children initialise with whatever shapes are passed. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : children.values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}

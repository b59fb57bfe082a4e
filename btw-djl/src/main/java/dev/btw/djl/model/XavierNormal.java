package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Xavier (Glorot) normal initialisation with explicit fans, as {@code torch.nn.init.xavier_normal_}: draws from
 * N(0, 2 / (fanIn + fanOut)). Explicit fans let batched expert weights {@code [E, in, out]} be initialised like E
 * separate linear layers.
 */
public final class XavierNormal implements Initializer {

    private final float std;

    /**
     * @param fanIn inputs of one unit
     * @param fanOut outputs of one unit
     */
    public XavierNormal(long fanIn, long fanOut) {
        this.std = (float) Math.sqrt(2.0 / (fanIn + fanOut));
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomNormal(0f, std, shape, dataType, manager.getDevice());
    }
}

package dev.btw.djl.encoder.spec;

import java.util.List;

/**
 * One named input of a model file.
 *
 * @param name the input's name in the model
 * @param type its element type: {@code int64}, {@code int32} or {@code float32}
 * @param shape its shape, {@code -1} for a dynamic dimension; empty when not stated
 */
public record InputSpec(String name, String type, List<Long> shape) {

    /** Copies the shape. */
    public InputSpec {
        shape = List.copyOf(shape);
    }
}

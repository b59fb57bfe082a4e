package dev.btw.djl.encoder;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: what encoders hand to and get back from a model.
 *
 * @param data the values
 * @param shape the dimensions; their product is {@code data.length}
 */
public record FloatTensor(float[] data, long[] shape) {

    /** Checks that the shape matches the data. */
    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /**
     * @param i an axis
     * @return that dimension, as an int
     */
    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    /** @return the shape as in messages, e.g. {@code [1, 3, 48, 64]} */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}

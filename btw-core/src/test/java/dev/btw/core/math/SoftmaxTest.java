package dev.btw.core.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void probabilitiesFromLogitsWithoutOverflow() {
        double e = Math.exp(1);
        assertArrayEquals(
                new double[] {1 / (1 + e + e * e), e / (1 + e + e * e), e * e / (1 + e + e * e)},
                Softmax.of(new float[] {0f, 1f, 2f}),
                1e-15);
        // shifted by the maximum: logits near float's range still give finite probabilities
        double[] big = Softmax.of(new float[] {3e38f, 3e38f, -3e38f});
        assertArrayEquals(new double[] {0.5, 0.5, 0.0}, big, 1e-15);
        assertArrayEquals(new double[] {1.0}, Softmax.of(new float[] {-7.5f}), 0);
    }
}

package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.btw.core.Task;
import org.junit.jupiter.api.Test;

/** FusionLoss is the task loss on the prediction plus the auxiliary output. */
class FusionLossTest {

    @Test
    void regressionIsL1PlusAux() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray prediction = m.create(new float[] {1f, 2f, 4f}, new Shape(3, 1));
            NDArray aux = m.create(0.25f);
            NDArray labels = m.create(new float[] {1.5f, 2f, 1f});
            float loss = FusionLoss.of(Task.REGRESSION)
                    .evaluate(new NDList(labels), new NDList(prediction, aux))
                    .getFloat();
            assertEquals((0.5 + 0 + 3) / 3 + 0.25, loss, 1e-6);
            float half = new FusionLoss("l", Task.REGRESSION, 0.5f)
                    .evaluate(new NDList(labels), new NDList(prediction, aux))
                    .getFloat();
            assertEquals((0.5 + 0 + 3) / 3 + 0.125, half, 1e-6);
        }
    }

    @Test
    void classificationIsSoftmaxCrossEntropyPlusAux() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] logits = {{2f, 0f, -1f}, {0.5f, 0.5f, 3f}};
            int[] y = {0, 1};
            NDArray prediction = m.create(logits);
            NDArray aux = m.create(0.1f);
            NDArray labels = m.create(new float[] {0, 1});
            double expected = 0;
            for (int i = 0; i < 2; i++) {
                double z = 0;
                for (float v : logits[i]) {
                    z += Math.exp(v);
                }
                expected += -(logits[i][y[i]] - Math.log(z));
            }
            expected = expected / 2 + 0.1;
            float loss = FusionLoss.of(Task.CLASSIFICATION)
                    .evaluate(new NDList(labels), new NDList(prediction, aux))
                    .getFloat();
            assertEquals(expected, loss, 1e-5);
        }
    }
}

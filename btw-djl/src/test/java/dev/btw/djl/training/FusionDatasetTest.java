package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FusionDataset's records: vectors, weights, mask and labels, from arrays. */
class FusionDatasetTest {

    @TempDir
    Path dir;

    @Test
    void recordsCarryVectorsWeightsMaskAndScaledLabels() throws Exception {
        float[][] text = {{1, 2, 3}, null, {7, 8, 9}};
        float[][] audio = {{0.5f}, {1.5f}, {2.5f}};
        double[] y = {10, 20, 30};
        FusionDataset ds = FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .addModality("text", text)
                .addModality("audio", audio)
                .setLabels(y)
                .optLabelScale(Standardisation.fit(y))
                .setSampling(2, false)
                .build();
        assertEquals(List.of("text", "audio"), ds.modalities());
        assertEquals(3, ds.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            Record r = ds.get(manager, 1);
            NDList x = r.getData();
            assertEquals(4, x.size());
            assertArrayEquals(new float[] {0, 0, 0}, x.get(0).toFloatArray());
            assertArrayEquals(new float[] {1.5f}, x.get(1).toFloatArray());
            assertArrayEquals(new float[] {0, 1}, x.get(2).toFloatArray(), "missing text weighs 0");
            assertArrayEquals(new float[] {0, 1}, x.get(3).toFloatArray(), "mask");
            assertEquals(0f, r.getLabels().singletonOrThrow().getFloat(), 1e-6, "the mean label standardises to 0");

            ds.setWeights(new double[][] {{0.2, 0.8}, {0.9, 0.1}, {0.6, 0.4}});
            assertArrayEquals(
                    new float[] {0, 0.1f}, ds.get(manager, 1).getData().get(2).toFloatArray());
            assertArrayEquals(
                    new float[] {0.2f, 0.8f},
                    ds.get(manager, 0).getData().get(2).toFloatArray());

            Batch first = ds.getData(manager).iterator().next();
            assertEquals(new Shape(2, 3), first.getData().get(0).getShape());
            assertEquals(new Shape(2, 2), first.getData().get(2).getShape());
            assertEquals(new Shape(2), first.getLabels().singletonOrThrow().getShape());
            first.close();
        }
    }

    @Test
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FusionDataset.builder()
                        .setTask(Task.REGRESSION)
                        .addModality("text", new float[][] {{1, 2}, {3}})
                        .setLabels(new double[] {1, 2})
                        .setSampling(1, false)
                        .build());
        assertTrue(e.getMessage().contains("text") && e.getMessage().contains("instance 1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> FusionDataset.builder()
                        .setTask(Task.REGRESSION)
                        .addModality("audio", new float[][] {{1}})
                        .setLabels(new double[] {1, 2})
                        .setSampling(1, false)
                        .build());
        assertTrue(e.getMessage().contains("audio"), e.getMessage());
    }
}

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    void storeBackedRowsAreReadPerBatchNeverWhole() throws Exception {
        int n = 1000;
        int d = 4;
        int[] reads = new int[1];
        FeatureRows rows = new FeatureRows() {
            @Override
            public void copyRow(int i, float[] into, int offset) {
                reads[0]++;
                for (int k = 0; k < d; k++) {
                    into[offset + k] = i * 10 + k;
                }
            }

            @Override
            public FeatureRows select(int[] selected) {
                throw new UnsupportedOperationException();
            }
        };
        boolean[] present = new boolean[n];
        Arrays.fill(present, true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
        }
        SplitData split =
                SplitData.ofRows(ids, Map.of("text", d), Map.of("text", rows), Map.of("text", present), new double[n]);
        FusionDataset ds = FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .setSplitData(split)
                .setSampling(8, false)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch first = ds.getData(manager).iterator().next();
            assertEquals(8, reads[0], "one row read per instance of the batch, not the split");
            assertArrayEquals(
                    new float[] {70, 71, 72, 73},
                    first.getData().get(0).get(7).toFloatArray(),
                    "the batch holds the rows' values");
            first.close();
            Record r = ds.get(manager, 123);
            assertEquals(9, reads[0], "one record, one row");
            assertArrayEquals(
                    new float[] {1230, 1231, 1232, 1233}, r.getData().get(0).toFloatArray());
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

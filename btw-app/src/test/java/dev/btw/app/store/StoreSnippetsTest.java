package dev.btw.app.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.btw.core.Task;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.training.FusionDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature store read back as the docs show it (docs/ENCODERS.md), and into the plugin's
 * {@link FusionDataset} in the caller's order.
 */
class StoreSnippetsTest {

    @TempDir
    Path dir;

    @TempDir
    Path tmp;

    /** Encodes a cell "k" as (k, 2k). */
    static final class NumberEncoder implements Encoder {
        @Override
        public String name() {
            return "number";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public String fingerprint() {
            return "number-1";
        }

        @Override
        public List<float[]> encode(List<EncoderInput> batch) {
            List<float[]> out = new ArrayList<>();
            for (EncoderInput in : batch) {
                float k = Float.parseFloat(in.value());
                out.add(new float[] {k, 2 * k});
            }
            return out;
        }

        @Override
        public void close() {}
    }

    @Test
    void readsAFeatureStoreInTheCallersOrder() throws Exception {
        List<StoreInstance> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String cell = Integer.toString(i + 1);
            in.add(
                    i == 2
                            ? new StoreInstance("id" + i, null, "")
                            : new StoreInstance("id" + i, EncoderInput.of("id" + i, cell), cell));
        }
        FeatureStore store = FeatureStore.open(dir);
        StoreWriter.builder().setStore(store).optWorkers(1).build().write("image", new NumberEncoder(), in);
        ModalityFeatures.Aligned aligned =
                FeatureStore.open(dir).read("image").align(List.of("id4", "id2", "id0", "unknown"));
        FusionDataset ds = FusionDataset.builder()
                .setTask(Task.CLASSIFICATION)
                .optIds(List.of("id4", "id2", "id0", "unknown"))
                .addModality("image", 2, aligned.matrix(), aligned.present())
                .setLabels(new double[] {1, 0, 2, 1})
                .setSampling(4, false)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(
                    new float[] {5, 10}, ds.get(manager, 0).getData().get(0).toFloatArray());
            assertArrayEquals(
                    new float[] {0}, ds.get(manager, 1).getData().get(2).toFloatArray(), "id2 missing");
            assertArrayEquals(
                    new float[] {1, 2}, ds.get(manager, 2).getData().get(0).toFloatArray());
            assertArrayEquals(
                    new float[] {0}, ds.get(manager, 3).getData().get(2).toFloatArray(), "not in store");
            assertEquals(2f, ds.get(manager, 2).getLabels().singletonOrThrow().getFloat(), "class index as given");
        }
    }

    /** The feature-store snippet of docs/ENCODERS.md, run on a small store. */
    @Test
    void featureStoreSnippetRuns() throws Exception {
        List<StoreInstance> in = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            in.add(new StoreInstance(
                    "id" + i, EncoderInput.of("id" + i, Integer.toString(i + 1)), Integer.toString(i + 1)));
        }
        Path storeDir = tmp.resolve("features");
        StoreWriter.builder()
                .setStore(FeatureStore.open(storeDir))
                .optWorkers(1)
                .build()
                .write("text", new NumberEncoder(), in);
        List<String> ids = List.of("id2", "elsewhere", "id0");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModalityFeatures text = FeatureStore.open(storeDir).read("text"); // memory-mapped float32
            ModalityFeatures.Aligned a = text.align(ids); // rows in your order, zeros + false where missing
            // text.ids(), text.presence(), text.row(i), text.toArray();
            // text.buffer() is a zero-copy FloatBuffer of all rows
            NDArray x = manager.create(a.matrix(), new Shape(a.size(), text.dimension()));
            assertEquals(new Shape(3, 2), x.getShape());
            assertArrayEquals(new float[] {3, 6, 0, 0, 1, 2}, x.toFloatArray());
            assertArrayEquals(new boolean[] {true, false, true}, a.present());
        }
    }
}

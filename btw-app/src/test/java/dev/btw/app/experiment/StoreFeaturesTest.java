package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.EncodeProgress;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.SplitData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training data read batch by batch from the memory-mapped store holds exactly the values the in-heap copy held
 * (standardisation, missing modalities, subsets, unimodal restrictions), and training steps on it give the same
 * losses bit for bit.
 */
class StoreFeaturesTest {

    @TempDir
    Path dir;

    @Test
    void mappedRowsEqualTheHeapCopyAndTrainIdentically() throws IOException {
        Path config = SyntheticManifest.write(400, new int[] {7, 3}, dir, 5);
        // make some instances miss modality m1: an ids file that leaves out every seventh id
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add("i" + i);
        }
        Files.write(dir.resolve("m1-ids.txt"), ids);
        List<String> manifest = new ArrayList<>(Files.readAllLines(dir.resolve("manifest.csv")));
        for (int i = 1; i < manifest.size(); i += 7) {
            manifest.set(i, manifest.get(i).replaceFirst("^i", "x"));
        }
        Files.write(dir.resolve("manifest.csv"), manifest);
        Files.writeString(
                config,
                Files.readString(config).replace("matrix: m1.npy", "matrix: m1.npy, matrix_ids: " + "m1-ids.txt"));
        BtwConfig cfg = BtwConfig.load(config, List.of());
        FusionData mapped = StoreFeatures.load(cfg, EncodeProgress.NONE);
        FusionData heap = heapCopy(cfg);
        assertEquals(heap.standardisation().keySet(), mapped.standardisation().keySet());
        for (String m : heap.modalities()) {
            assertArrayEquals(
                    heap.standardisation().get(m).mean(),
                    mapped.standardisation().get(m).mean());
            assertArrayEquals(
                    heap.standardisation().get(m).std(),
                    mapped.standardisation().get(m).std());
        }
        for (Split s : Split.values()) {
            SplitData h = heap.split(s);
            SplitData p = mapped.split(s);
            for (String m : heap.modalities()) {
                assertArrayEquals(h.features(m), p.features(m), s + " " + m);
                assertArrayEquals(h.present(m), p.present(m));
            }
        }
        SplitData train = mapped.split(Split.TRAIN);
        boolean[] some = train.present("m1");
        boolean anyMissing = false;
        for (boolean b : some) {
            anyMissing |= !b;
        }
        assertEquals(true, anyMissing, "the test data must have missing instances");
        float[] zeros = new float[3];
        float[] row = new float[3];
        for (int i = 0; i < some.length; i++) {
            if (!some[i]) {
                train.copyRow("m1", i, row, 0);
                assertArrayEquals(zeros, row);
            }
        }
        SplitData hr = heap.restrictTo("m1").split(Split.TRAIN);
        SplitData pr = mapped.restrictTo("m1").split(Split.TRAIN);
        assertEquals(hr.ids(), pr.ids());
        assertArrayEquals(hr.features("m1"), pr.features("m1"));
        assertFalse(hr.ids().isEmpty());

        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("m0", 7)
                .addModality("m1", 3)
                .setOutputs(1)
                .optExperts(4)
                .optTopK(2)
                .optHidden(8)
                .optExpertHidden(16)
                .build();
        assertArrayEquals(losses(spec, heap), losses(spec, mapped));
    }

    private static float[] losses(MoeFusionSpec spec, FusionData data) {
        SplitData train = data.split(Split.TRAIN);
        double[][] w = new double[train.size()][2];
        for (double[] r : w) {
            Arrays.fill(r, 1.0);
        }
        float[] out = new float[6];
        int[][] rows = new int[out.length][16];
        for (int k = 0; k < out.length; k++) {
            for (int i = 0; i < 16; i++) {
                rows[k][i] = (k * 37 + i * 11) % train.size();
            }
        }
        try (FusionModel model = new FusionModel(spec, Task.REGRESSION, Device.cpu(), 3)) {
            out = TrainerSteps.train(model, train, w, rows, 1e-3f, 1e-4f, 0.8f, 0);
        }
        return out;
    }

    /** The previous data path: every modality aligned into heap arrays, standardised in place. */
    private static FusionData heapCopy(BtwConfig cfg) {
        ManifestEncoding encoding = ManifestEncoding.builder().setConfig(cfg).build();
        Manifest manifest = encoding.readManifest();
        FeatureStore store = FeatureStore.open(encoding.store());
        Map<String, ModalityFeatures> features = new LinkedHashMap<>();
        for (String m : cfg.modalities().keySet()) {
            features.put(m, store.read(m));
        }
        return DataAssembly.build(cfg, manifest, new ArrayList<>(features.keySet()), new DataAssembly.Source() {
            @Override
            public int dim(String modality) {
                return features.get(modality).dimension();
            }

            @Override
            public float[] rows(String modality, int[] rows, boolean[] present) {
                List<String> ids = new ArrayList<>(rows.length);
                for (int r : rows) {
                    ids.add(manifest.ids().get(r));
                }
                ModalityFeatures.Aligned a = features.get(modality).align(ids);
                System.arraycopy(a.present(), 0, present, 0, rows.length);
                return a.matrix();
            }
        });
    }
}

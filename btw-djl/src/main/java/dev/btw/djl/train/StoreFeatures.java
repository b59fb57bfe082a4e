package dev.btw.djl.train;

import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.store.EncodeProgress;
import dev.btw.djl.store.FeatureStore;
import dev.btw.djl.store.ManifestEncoding;
import dev.btw.djl.store.ModalityFeatures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link FusionData} from the feature store: encodes what the store lacks (as {@code btw encode} does),
 * then reads every modality's vectors, standardised with train statistics. Missing vectors mean missing
 * modalities. The vectors stay in the memory-mapped store: training copies (and standardises) each batch's rows.
 */
public final class StoreFeatures {

    private StoreFeatures() {}

    /**
     * @param config the config
     * @param progress encoding progress, or {@link EncodeProgress#NONE}
     * @return the data set
     */
    public static FusionData load(BtwConfig config, EncodeProgress progress) {
        ManifestEncoding encoding = ManifestEncoding.builder().setConfig(config).optProgress(progress).build();
        Manifest manifest = encoding.readManifest();
        encoding.run();
        FeatureStore store = FeatureStore.open(encoding.store());
        Map<String, ModalityFeatures> features = new LinkedHashMap<>();
        for (String m : config.modalities().keySet()) {
            features.put(m, store.read(m));
        }
        return DataAssembly.build(config, manifest, new ArrayList<>(features.keySet()), new DataAssembly.Source() {
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

            @Override
            public StoreRows mapped(String modality, int[] rows, boolean[] present) {
                // batches are copied from the memory-mapped store as training reads them: no copy of every
                // modality in the heap
                ModalityFeatures f = features.get(modality);
                int[] storeRow = new int[rows.length];
                for (int k = 0; k < rows.length; k++) {
                    int i = f.indexOf(manifest.ids().get(rows[k]));
                    present[k] = i >= 0 && f.isPresent(i);
                    storeRow[k] = present[k] ? i : -1;
                }
                return new StoreRows(f.reader(storeRow), null);
            }
        });
    }
}

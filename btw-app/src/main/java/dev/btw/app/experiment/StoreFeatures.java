package dev.btw.app.experiment;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.EncodeProgress;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.spec.SpecLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link FusionData} from the feature store: encodes what the store lacks (as {@code btw encode} does),
 * then reads every modality's vectors, standardised with train statistics. Missing vectors mean missing
 * modalities. Modalities with {@code fine_tune: true} also get their images (see {@link FineTunedModality}).
 * The vectors stay in the memory-mapped store: training copies (and standardises) each batch's rows.
 */
public final class StoreFeatures {

    private StoreFeatures() {}

    /**
     * @param config the config
     * @param progress encoding progress, or {@link EncodeProgress#NONE}
     * @return the data set
     */
    public static FusionData load(BtwConfig config, EncodeProgress progress) {
        ManifestEncoding encoding = ManifestEncoding.builder()
                .setConfig(config)
                .optProgress(progress)
                .build();
        Manifest manifest = encoding.readManifest();
        // fine-tuned encoders are checked (and their images read) before any encoding starts
        Map<String, FineTunedModality> fineTuned =
                FineTunedModality.fromConfig(config, manifest, SpecLocator.defaults());
        encoding.run();
        FeatureStore store = FeatureStore.open(encoding.store());
        return DataAssembly.build(
                        config, manifest, new ArrayList<>(config.modalities().keySet()), new DataAssembly.Source() {
                            // one modality's store bookkeeping (a million ids and keys) at a time: the data keep only
                            // row mappings
                            private String current;
                            private ModalityFeatures currentFeatures;

                            private ModalityFeatures features(String modality) {
                                if (!modality.equals(current)) {
                                    currentFeatures = null;
                                    currentFeatures = store.read(modality);
                                    current = modality;
                                }
                                return currentFeatures;
                            }

                            @Override
                            public int dim(String modality) {
                                return store.dimension(modality);
                            }

                            @Override
                            public float[] rows(String modality, int[] rows, boolean[] present) {
                                List<String> ids = new ArrayList<>(rows.length);
                                for (int r : rows) {
                                    ids.add(manifest.ids().get(r));
                                }
                                ModalityFeatures.Aligned a = features(modality).align(ids);
                                System.arraycopy(a.present(), 0, present, 0, rows.length);
                                return a.matrix();
                            }

                            @Override
                            public StoreRows mapped(String modality, int[] rows, boolean[] present) {
                                // batches are copied from the memory-mapped store as training reads them: no copy of
                                // every
                                // modality in the heap
                                ModalityFeatures f = features(modality);
                                int[] storeRow = new int[rows.length];
                                for (int k = 0; k < rows.length; k++) {
                                    int i = f.indexOf(manifest.ids().get(rows[k]));
                                    present[k] = i >= 0 && f.isPresent(i);
                                    storeRow[k] = present[k] ? i : -1;
                                }
                                return new StoreRows(f.reader(storeRow), null);
                            }
                        })
                .withFineTuning(fineTuned);
    }
}

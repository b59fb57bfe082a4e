package dev.btw.app.store;

import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link StoreKillTest}: fills a store with large rows (so that segment writes take a while)
 * through a slow deterministic encoder, until the parent kills it.
 */
public final class StoreKillChild {

    static final int N = 400;
    static final int DIM = 20_000;

    private StoreKillChild() {}

    static float value(String id, int j) {
        return Integer.parseInt(id.substring(2)) * 0.5f + j * 1e-3f;
    }

    static List<StoreInstance> instances() {
        List<StoreInstance> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String id = "id" + i;
            out.add(
                    i % 9 == 4
                            ? new StoreInstance(id, null, "")
                            : new StoreInstance(id, EncoderInput.of(id, "cell" + i), "cell" + i));
        }
        return out;
    }

    static Encoder encoder(long sleepMillis) {
        return new Encoder() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public int dimension() {
                return DIM;
            }

            @Override
            public String fingerprint() {
                return "slow-1";
            }

            @Override
            public List<float[]> encode(List<EncoderInput> batch) {
                List<float[]> out = new ArrayList<>();
                for (EncoderInput in : batch) {
                    float[] v = new float[DIM];
                    for (int j = 0; j < DIM; j++) {
                        v[j] = value(in.id(), j);
                    }
                    out.add(v);
                }
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return out;
            }

            @Override
            public void close() {}
        };
    }

    /**
     * @param args the store folder
     */
    public static void main(String[] args) {
        StoreWriter w = StoreWriter.builder()
                .setStore(FeatureStore.open(Path.of(args[0])))
                .optBatch(4)
                .optWorkers(2)
                .optShardSize(8)
                .build();
        System.out.println("started");
        System.out.flush();
        w.write("m", encoder(15), instances());
        System.out.println("finished");
    }
}

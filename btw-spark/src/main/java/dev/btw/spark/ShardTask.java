package dev.btw.spark;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.StoreInstance;
import dev.btw.app.store.StoreWriter;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.Encoder;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction;

/**
 * What an executor runs for one partition of shards: reads the config and the manifest from shared storage, opens
 * the modality's encoder exactly as the driver did (its model files are checked by SHA-256 when loaded, and its
 * fingerprint must equal the driver's), and writes each shard as a segment of the shared store.
 */
final class ShardTask implements VoidFunction<Iterator<ShardTask.Shard>>, Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One planned shard.
     *
     * @param index its position in the plan (names its segment)
     * @param positions its instances' positions in the manifest
     */
    record Shard(int index, int[] positions) implements Serializable {}

    private final String config;
    private final String store;
    private final int batch;
    private final String modality;
    private final String fingerprint;
    private final String stamp;

    ShardTask(String config, String store, int batch, String modality, String fingerprint, String stamp) {
        this.config = config;
        this.store = store;
        this.batch = batch;
        this.modality = modality;
        this.fingerprint = fingerprint;
        this.stamp = stamp;
    }

    /** @return the segment name of shard {@code index} of a job started at {@code stamp} */
    static String segmentName(String stamp, int index) {
        return String.format("seg-%s-%06d", stamp, index);
    }

    @Override
    public void call(Iterator<Shard> shards) {
        if (!shards.hasNext()) {
            return;
        }
        ManifestEncoding encoding =
                SparkEncoding.encoding(BtwConfig.load(Path.of(config), List.of()), Path.of(store), batch);
        Manifest manifest = encoding.readManifest();
        List<StoreInstance> instances = encoding.instances(manifest, modality);
        try (Encoder encoder = encoding.openEncoder(manifest, modality, instances)) {
            if (!encoder.fingerprint().equals(fingerprint)) {
                throw new BtwException("modality " + modality + ": the executor's encoder has fingerprint "
                        + encoder.fingerprint() + ", the driver's " + fingerprint
                        + "; driver and executors must read the same manifest, config and encoder files");
            }
            StoreWriter writer = encoding.writer(modality);
            while (shards.hasNext()) {
                Shard s = shards.next();
                writer.writeShard(modality, encoder, instances, s.positions(), segmentName(stamp, s.index()));
            }
        }
    }
}

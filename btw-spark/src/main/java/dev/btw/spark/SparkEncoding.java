package dev.btw.spark;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.StoreInstance;
import dev.btw.app.store.StoreWriter;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.Encoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Encodes every modality of a config's manifest into its feature store with Spark, giving the store {@code btw
 * encode} gives. Per modality the driver plans the shards exactly as local encoding does (same shard and batch
 * boundaries, so the vectors are the same); Spark runs the shards on executors, each writing its segments into the
 * shared store folder; the driver then merges them and commits the modality. A job that failed part-way leaves
 * its finished shards: the next run encodes only the missing ones.
 *
 * <p>The config file, the manifest, the data it names, the encoder files and the store must be at the same paths
 * on the driver and on every executor (shared storage).
 *
 * <pre>{@code
 * List<EncodeResult> done = SparkEncoding.builder().setConfig(Path.of("config.yaml")).build().run(spark);
 * }</pre>
 */
public final class SparkEncoding {

    private final Path config;
    private final Path store;
    private final int batch;

    private SparkEncoding(Builder b) {
        this.config = b.config.toAbsolutePath();
        this.store = b.store;
        this.batch = b.batch;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** The encoding a driver or an executor runs: one worker thread set, the encoder using every core. */
    static ManifestEncoding encoding(BtwConfig cfg, Path store, int batch) {
        return ManifestEncoding.builder()
                .setConfig(cfg)
                .optStore(store)
                .optBatch(batch)
                .optWorkers(1)
                .build();
    }

    /**
     * Encodes every modality.
     *
     * @param spark the session whose executors encode
     * @return one result per modality, in config order
     */
    public List<EncodeResult> run(SparkSession spark) {
        BtwConfig cfg = BtwConfig.load(config, List.of());
        if (cfg.modalities().isEmpty()) {
            throw new BtwException(cfg.source() + ": no modalities to encode");
        }
        Path dir = (store != null ? store : cfg.encode().store()).toAbsolutePath();
        ManifestEncoding encoding = encoding(cfg, dir, batch);
        Manifest manifest = encoding.readManifest();
        // validate every modality's cells before any job starts, as btw encode does
        for (String m : cfg.modalities().keySet()) {
            encoding.instances(manifest, m);
        }
        List<EncodeResult> results = new ArrayList<>();
        for (String m : cfg.modalities().keySet()) {
            // every vector cached: no job, no model loaded
            var done = encoding.reuseIfComplete(m, encoding.instances(manifest, m));
            if (done.isPresent()) {
                results.add(done.get());
                continue;
            }
            Pending p = writeShards(spark, encoding, manifest, dir, m);
            results.add(p.writer.commit(m, p.encoder, p.fingerprint, p.dimension, p.instances, p.plan, p.start));
        }
        return results;
    }

    /** A modality whose shards are written but not yet committed. */
    record Pending(
            StoreWriter writer,
            String encoder,
            String fingerprint,
            int dimension,
            List<StoreInstance> instances,
            StoreWriter.Plan plan,
            long start) {}

    /** Plans one modality's shards and runs them on the executors (the first two steps of a run, for tests). */
    Pending writeShards(SparkSession spark, ManifestEncoding encoding, Manifest manifest, Path dir, String m) {
        long start = System.nanoTime();
        List<StoreInstance> instances = encoding.instances(manifest, m);
        StoreWriter writer = encoding.writer(m);
        String name;
        String fp;
        int dim;
        // the driver opens the encoder once for its fingerprint; executors check theirs against it
        try (Encoder e = encoding.openEncoder(manifest, m, instances)) {
            name = e.name();
            fp = e.fingerprint();
            dim = e.dimension();
        }
        StoreWriter.Plan plan = writer.plan(m, name, fp, dim, instances);
        if (!plan.shards().isEmpty()) {
            List<ShardTask.Shard> shards = new ArrayList<>();
            for (int i = 0; i < plan.shards().size(); i++) {
                shards.add(new ShardTask.Shard(i, plan.shards().get(i)));
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int slices = Math.max(1, Math.min(shards.size(), jsc.defaultParallelism()));
            String stamp = String.format("%013d", System.currentTimeMillis());
            spark.sparkContext().setJobDescription("btw encode " + m + ": " + shards.size() + " shards");
            jsc.parallelize(shards, slices)
                    .foreachPartition(new ShardTask(config.toString(), dir.toString(), batch, m, fp, stamp));
        }
        return new Pending(writer, name, fp, dim, instances, plan, start);
    }

    /** Builds a {@link SparkEncoding}: {@code setConfig} is required, the rest optional. */
    public static final class Builder {
        private Path config;
        private Path store;
        private int batch;

        private Builder() {}

        /**
         * @param config the run config file (on storage the executors see at the same path)
         * @return this builder
         */
        public Builder setConfig(Path config) {
            this.config = config;
            return this;
        }

        /**
         * @param store the store folder, on shared storage (default: the config's {@code encode.store})
         * @return this builder
         */
        public Builder optStore(Path store) {
            this.store = store;
            return this;
        }

        /**
         * @param batch instances per encoder call (default: {@code encode.batch})
         * @return this builder
         */
        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        /** @return the encoding */
        public SparkEncoding build() {
            if (config == null) {
                throw new IllegalStateException("setConfig is required");
            }
            return new SparkEncoding(this);
        }
    }
}

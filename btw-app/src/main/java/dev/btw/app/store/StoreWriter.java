package dev.btw.app.store;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fills a {@link FeatureStore} for one modality: encodes, in shards run by parallel workers, every instance whose
 * vector is not cached under the encoder's fingerprint (or whose cell changed), commits each shard as a segment,
 * then merges the segments into one. Killed part-way, a second run redoes only the unfinished shards; with nothing
 * changed it touches nothing.
 */
public final class StoreWriter {

    private final FeatureStore store;
    private final int batch;
    private final int workers;
    private final int shardSize;
    private final EncodeProgress progress;

    private StoreWriter(Builder b) {
        this.store = b.store;
        this.batch = b.batch;
        this.workers = b.workers;
        this.shardSize = b.shardSize > 0 ? b.shardSize : Math.max(256, 8 * b.batch);
        this.progress = b.progress;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks, without an encoder, whether the store already holds every instance for this fingerprint in one merged
     * segment; if so makes it the modality's current encoder, touching nothing else.
     *
     * @param modality the modality's name
     * @param encoder the encoder's name
     * @param fingerprint its fingerprint
     * @param dimension its vector length
     * @param instances every instance of the manifest
     * @return the result when nothing needs encoding, else empty (call {@link #write})
     */
    public Optional<EncodeResult> reuseIfComplete(
            String modality, String encoder, String fingerprint, int dimension, List<StoreInstance> instances) {
        long start = System.nanoTime();
        Path folder = store.folder(modality, fingerprint);
        if (!Files.isRegularFile(folder.resolve(FeatureStore.ENCODER))) {
            return Optional.empty();
        }
        List<Segment> segments = Segment.list(folder, dimension);
        if (segments.size() != 1) {
            return Optional.empty();
        }
        Map<String, Segment.Entry> cached = new HashMap<>();
        segments.get(0).entries.forEach(e -> cached.put(e.id(), e));
        for (StoreInstance in : instances) {
            Segment.Entry e = cached.get(in.id());
            if (e == null || e.present() != in.present() || !e.key().equals(in.key())) {
                return Optional.empty();
            }
        }
        store.writeCurrent(modality, fingerprint, encoder, dimension, cached.size());
        return Optional.of(new EncodeResult(
                modality, encoder, fingerprint, 0, instances.size(), 0, (System.nanoTime() - start) / 1e9));
    }

    /**
     * Encodes what is missing from the store for one modality and makes this encoder the modality's current one.
     *
     * @param modality the modality's name
     * @param encoder its encoder
     * @param instances every instance of the manifest, present or missing
     * @return what was done
     * @throws dev.btw.djl.encoder.EncoderException when an instance fails to encode (finished shards are kept)
     */
    public EncodeResult write(String modality, Encoder encoder, List<StoreInstance> instances) {
        long start = System.nanoTime();
        Plan plan = plan(modality, encoder.name(), encoder.fingerprint(), encoder.dimension(), instances);
        if (!plan.shards().isEmpty()) {
            List<List<StoreInstance>> shards = new ArrayList<>(plan.shards().size());
            for (int[] positions : plan.shards()) {
                shards.add(select(instances, positions));
            }
            encodeShards(modality, encoder, store.folder(modality, encoder.fingerprint()), shards);
        }
        return commit(modality, encoder.name(), encoder.fingerprint(), encoder.dimension(), instances, plan, start);
    }

    /**
     * What one modality's encoding has to do: the shards of instances whose vectors the store lacks, cut exactly
     * as {@link #write} cuts them (same shard and batch boundaries, so even encoders whose output depends on the
     * batch give the same vectors when the shards run elsewhere, e.g. on Spark executors).
     *
     * @param shards per shard, the positions of its instances in the manifest's instance list
     * @param encoded instances to encode (present ones)
     * @param missing instances to record as missing
     * @param stored distinct ids the store holds once every shard is written
     */
    public record Plan(List<int[]> shards, int encoded, int missing, int stored) implements Serializable {}

    /**
     * First step of a distributed {@link #write}: prepares the modality's fingerprint folder (removing what a
     * killed writer left, recording the encoder) and lists the shards still to encode. Run it once, before any
     * shard is written.
     *
     * @param modality the modality's name
     * @param encoder the encoder's name
     * @param fingerprint its fingerprint
     * @param dimension its vector length
     * @param instances every instance of the manifest, present or missing
     * @return the plan; its shards are empty when everything is cached
     */
    public Plan plan(
            String modality, String encoder, String fingerprint, int dimension, List<StoreInstance> instances) {
        Path folder = store.folder(modality, fingerprint);
        try {
            Files.createDirectories(folder);
            removeStaleTemporaries(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + folder + ": " + e.getMessage(), e);
        }
        store.writeEncoderInfo(modality, fingerprint, encoder, dimension);
        Map<String, Segment.Entry> cached = new HashMap<>();
        for (Segment s : Segment.list(folder, dimension)) {
            s.entries.forEach(e -> cached.put(e.id(), e));
        }
        List<Integer> todo = new ArrayList<>();
        List<StoreInstance> todoInstances = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            StoreInstance in = instances.get(i);
            Segment.Entry e = cached.get(in.id());
            if (e == null || e.present() != in.present() || !e.key().equals(in.key())) {
                todo.add(i);
                todoInstances.add(in);
            }
        }
        int missing = (int) todoInstances.stream().filter(i -> !i.present()).count();
        List<int[]> shards = new ArrayList<>();
        for (int from = 0; from < todo.size(); from += shardSize) {
            shards.add(todo.subList(from, Math.min(todo.size(), from + shardSize)).stream()
                    .mapToInt(Integer::intValue)
                    .toArray());
        }
        return new Plan(shards, todo.size() - missing, missing, cachedCount(cached, todoInstances));
    }

    /**
     * Second step of a distributed {@link #write}: encodes one planned shard in batches and commits it as a
     * segment. Safe to run in parallel with other shards of the same plan, from other processes sharing the
     * store folder. A given segment name makes a retried shard replace its earlier attempt instead of adding a
     * duplicate.
     *
     * @param modality the modality's name
     * @param encoder its encoder (the plan's fingerprint)
     * @param instances every instance of the manifest, as given to {@link #plan}
     * @param positions the shard's positions, one entry of {@link Plan#shards()}
     * @param segmentName the segment's file name without extension, {@code seg-} followed by 13 digits, a dash
     *     and 6 digits (segments are listed in name order)
     */
    public void writeShard(
            String modality, Encoder encoder, List<StoreInstance> instances, int[] positions, String segmentName) {
        if (!segmentName.matches("seg-\\d{13}-\\d{6}")) {
            throw new IllegalArgumentException("bad segment name " + segmentName);
        }
        List<StoreInstance> shard = select(instances, positions);
        try {
            encodeShard(
                    modality,
                    encoder,
                    store.folder(modality, encoder.fingerprint()),
                    shard,
                    new AtomicLong(),
                    shard.size(),
                    segmentName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a shard of modality " + modality + ": " + e.getMessage(), e);
        }
    }

    /**
     * Last step of a distributed {@link #write}, once every planned shard is written: merges the segments into one
     * (in manifest order) and makes this encoder the modality's current one.
     *
     * @param modality the modality's name
     * @param encoder the encoder's name
     * @param fingerprint its fingerprint
     * @param dimension its vector length
     * @param instances every instance of the manifest
     * @param plan the plan its shards came from
     * @param startNanos {@link System#nanoTime()} when the encoding started
     * @return what was done
     */
    public EncodeResult commit(
            String modality,
            String encoder,
            String fingerprint,
            int dimension,
            List<StoreInstance> instances,
            Plan plan,
            long startNanos) {
        Path folder = store.folder(modality, fingerprint);
        List<Segment> segments = Segment.list(folder, dimension);
        if (segments.size() > 1) {
            merge(
                    folder,
                    segments,
                    new ModalityFeatures(modality, encoder, fingerprint, dimension, segments),
                    instances);
        }
        store.writeCurrent(modality, fingerprint, encoder, dimension, plan.stored());
        return new EncodeResult(
                modality,
                encoder,
                fingerprint,
                plan.encoded(),
                instances.size() - plan.encoded() - plan.missing(),
                plan.missing(),
                (System.nanoTime() - startNanos) / 1e9);
    }

    private static List<StoreInstance> select(List<StoreInstance> instances, int[] positions) {
        List<StoreInstance> out = new ArrayList<>(positions.length);
        for (int p : positions) {
            out.add(instances.get(p));
        }
        return out;
    }

    private static int cachedCount(Map<String, Segment.Entry> cached, List<StoreInstance> todo) {
        int n = cached.size();
        for (StoreInstance t : todo) {
            if (!cached.containsKey(t.id())) {
                n++;
            }
        }
        return n;
    }

    private void encodeShards(String modality, Encoder encoder, Path folder, List<List<StoreInstance>> shards) {
        AtomicLong done = new AtomicLong();
        long total = shards.stream().mapToLong(List::size).sum();
        progress.update(modality, 0, total);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "btw-encode-" + modality);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<StoreInstance> shard : shards) {
                futures.add(pool.submit(() -> {
                    encodeShard(modality, encoder, folder, shard, done, total, Segment.newName());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new BtwException("encoding of modality " + modality + " was interrupted");
        } finally {
            pool.shutdown();
        }
    }

    private void encodeShard(
            String modality,
            Encoder encoder,
            Path folder,
            List<StoreInstance> shard,
            AtomicLong done,
            long total,
            String segmentName)
            throws IOException {
        int dim = encoder.dimension();
        List<float[]> rows = new ArrayList<>(shard.size());
        List<Segment.Entry> entries = new ArrayList<>(shard.size());
        for (int from = 0; from < shard.size(); from += batch) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            List<StoreInstance> part = shard.subList(from, Math.min(shard.size(), from + batch));
            List<EncoderInput> inputs = part.stream()
                    .filter(StoreInstance::present)
                    .map(StoreInstance::input)
                    .toList();
            List<float[]> vectors = inputs.isEmpty() ? List.of() : encoder.encode(inputs);
            FiniteVectors.require(modality, encoder, inputs, vectors);
            int k = 0;
            for (StoreInstance in : part) {
                rows.add(in.present() ? vectors.get(k++) : new float[dim]);
                entries.add(new Segment.Entry(in.id(), in.present(), in.key()));
            }
            progress.update(modality, done.addAndGet(part.size()), total);
        }
        Segment.write(folder, segmentName, entries, rows, dim);
    }

    /** Writes every row into one segment, in manifest order (then any ids the manifest no longer has). */
    private static void merge(
            Path folder, List<Segment> segments, ModalityFeatures all, List<StoreInstance> instances) {
        int[] order = new int[all.size()];
        boolean[] taken = new boolean[all.size()];
        int k = 0;
        for (StoreInstance in : instances) {
            int i = all.indexOf(in.id());
            if (i >= 0 && !taken[i]) {
                taken[i] = true;
                order[k++] = i;
            }
        }
        for (int i = 0; i < all.size(); i++) {
            if (!taken[i]) {
                order[k++] = i;
            }
        }
        try {
            List<Segment.Entry> entries = new ArrayList<>(all.size());
            for (int i : order) {
                entries.add(all.entry(i));
            }
            List<float[]> rows = new AbstractList<>() {
                @Override
                public float[] get(int i) {
                    try {
                        return all.readRow(order[i]); // through the channel: no mapped page stays resident
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public int size() {
                    return order.length;
                }
            };
            Segment.write(folder, entries, rows, all.dimension());
            for (Segment s : segments) {
                s.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot merge the feature store segments in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes what a killed writer leaves: temporary files ({@code .*.tmp}, possibly torn) and segment data whose
     * index was never committed (a kill between the two renames of {@code Segment.write}), and an index whose data
     * file was deleted. Run before any worker
     * starts, so nothing of this run is removed.
     */
    private static void removeStaleTemporaries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                boolean orphan = n.startsWith("seg-")
                        && n.endsWith(".f32")
                        && !Files.exists(p.resolveSibling(n.substring(0, n.length() - 4) + ".tsv"));
                // an index whose data file was deleted: its rows are encoded again (Segment.list skips it)
                orphan |= n.startsWith("seg-")
                        && n.endsWith(".tsv")
                        && !Files.exists(p.resolveSibling(n.substring(0, n.length() - 4) + ".f32"));
                if ((n.startsWith(".") && n.endsWith(".tmp")) || orphan) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Builds a {@link StoreWriter}: {@code setStore} is required, the rest optional. */
    public static final class Builder {
        private FeatureStore store;
        private int batch = 32;
        private int workers = Runtime.getRuntime().availableProcessors();
        private int shardSize;
        private EncodeProgress progress = EncodeProgress.NONE;

        private Builder() {}

        /**
         * @param store the store to fill
         * @return this builder
         */
        public Builder setStore(FeatureStore store) {
            this.store = store;
            return this;
        }

        /**
         * @param batch instances per encoder call (default 32)
         * @return this builder
         */
        public Builder optBatch(int batch) {
            if (batch < 1) {
                throw new BtwException("batch size must be at least 1, got " + batch);
            }
            this.batch = batch;
            return this;
        }

        /**
         * @param workers parallel encoding threads (default: one per core)
         * @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * @param shardSize instances per committed segment (default: max(256, 8 x batch))
         * @return this builder
         */
        public Builder optShardSize(int shardSize) {
            this.shardSize = shardSize;
            return this;
        }

        /**
         * @param progress receives progress
         * @return this builder
         */
        public Builder optProgress(EncodeProgress progress) {
            this.progress = progress;
            return this;
        }

        /** @return the writer */
        public StoreWriter build() {
            if (store == null) {
                throw new IllegalStateException("setStore is required");
            }
            return new StoreWriter(this);
        }
    }
}

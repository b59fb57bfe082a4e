package dev.btw.app.encode;

import ai.djl.Device;
import dev.btw.app.experiment.DeviceChoice;
import dev.btw.app.store.EncodeProgress;
import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.FiniteVectors;
import dev.btw.app.store.StoreInstance;
import dev.btw.app.store.StoreWriter;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.DataConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import dev.btw.core.io.FolderLock;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.EncoderOptions;
import dev.btw.djl.encoder.Encoders;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.MatrixEncoder;
import dev.btw.djl.encoder.PrecomputedEncoder;
import dev.btw.djl.encoder.TabularEncoder;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.NpyMatrix;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Pooling;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Encodes every modality of a config's manifest into its feature store ({@code encode.store}): validates the
 * manifest first (unknown columns, duplicate ids, bad splits, unreadable files, non-numeric tabular cells: one
 * error naming the row and the column), then runs each modality's encoder where the store lacks vectors.
 *
 * <pre>{@code
 * List<EncodeResult> done = ManifestEncoding.builder().setConfig(BtwConfig.load(file, List.of())).build().run();
 * }</pre>
 */
public final class ManifestEncoding {

    /** The encoder name of tabular modalities. */
    public static final String TABULAR = "columns";
    /** The encoder name of precomputed-vector modalities. */
    public static final String VECTORS = "vectors";
    /** Instances per store shard for a {@code matrix} modality. */
    private static final int MATRIX_SHARD = 32_768;

    private final BtwConfig config;
    private final SpecLocator locator;
    private final AssetFetcher fetcher;
    private final EncodeProgress progress;
    private final int batch;
    private final int workers;
    private final Path store;

    private ManifestEncoding(Builder b) {
        this.config = b.config;
        this.locator = b.locator != null ? b.locator : SpecLocator.defaults();
        this.fetcher = b.fetcher != null ? b.fetcher : new AssetFetcher();
        this.progress = b.progress;
        this.batch = b.batch > 0 ? b.batch : config.encode().batch();
        int threads = b.workers > 0 ? b.workers : config.encode().threads();
        this.workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.store = b.store != null ? b.store : config.encode().store();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the store folder this encoding fills */
    public Path store() {
        return store;
    }

    /**
     * Reads and validates the manifest with the columns the config's modalities need.
     *
     * @return the manifest
     */
    public Manifest readManifest() {
        DataConfig d = config.data();
        List<String> required = new ArrayList<>();
        for (ModalityConfig m : config.modalities().values()) {
            if (m.column() != null) {
                required.add(m.column());
            }
            required.addAll(m.columns());
        }
        return Manifest.read(d.manifest(), d.id(), d.split(), d.label(), required);
    }

    /**
     * Encodes every modality.
     *
     * @return one result per modality, in config order
     */
    public List<EncodeResult> run() {
        Manifest manifest = readManifest();
        Map<String, ModalityConfig> modalities = config.modalities();
        if (modalities.isEmpty()) {
            throw new BtwException(config.source() + ": no modalities to encode");
        }
        // validate every modality's cells before running any encoder
        List<List<StoreInstance>> inputs = new ArrayList<>();
        for (ModalityConfig m : modalities.values()) {
            List<StoreInstance> in = instances(manifest, m);
            // a matrix modality's instances are cheap to list again (a million take hundreds of megabytes of
            // heap): validate them now, keep them only while their modality is written
            inputs.add(m.isMatrix() ? null : in);
        }
        // one writer per store: a second process fails at once naming this one; a killed one's lock is taken over
        try (FolderLock lock = FolderLock.acquire(store, "feature store")) {
            return write(manifest, modalities, inputs);
        }
    }

    private List<EncodeResult> write(
            Manifest manifest, Map<String, ModalityConfig> modalities, List<List<StoreInstance>> inputs) {
        FeatureStore fs = FeatureStore.open(store);
        StoreWriter writer = StoreWriter.builder()
                .setStore(fs)
                .optBatch(batch)
                .optWorkers(workers)
                .optProgress(progress)
                .build();
        List<EncodeResult> results = new ArrayList<>();
        int i = 0;
        for (ModalityConfig m : modalities.values()) {
            List<StoreInstance> in = inputs.get(i) != null ? inputs.get(i) : instances(manifest, m);
            inputs.set(i++, null);
            var done = reuseIfComplete(writer, m, in);
            if (done.isPresent()) {
                results.add(done.get());
                continue;
            }
            try (Encoder encoder = encoder(manifest, m, in)) {
                // rows of a matrix are copied, not computed: large shards keep a million rows to a few dozen
                // segment files instead of thousands
                StoreWriter w = m.isMatrix()
                        ? StoreWriter.builder()
                                .setStore(fs)
                                .optBatch(batch)
                                .optWorkers(workers)
                                .optProgress(progress)
                                .optShardSize(MATRIX_SHARD)
                                .build()
                        : writer;
                results.add(w.write(m.name(), encoder, in));
            }
        }
        return results;
    }

    /**
     * The instances of one modality, as {@link #run()} lists them (for a distributed encoding, which lists them
     * identically on every worker).
     *
     * @param manifest the manifest from {@link #readManifest()}
     * @param modality a modality of the config
     * @return one instance per manifest row, in manifest order
     */
    public List<StoreInstance> instances(Manifest manifest, String modality) {
        return instances(manifest, modality(modality));
    }

    /**
     * Opens the encoder {@link #run()} uses for one modality (tabular ones are fitted on the train split, so every
     * worker fits the same one). The caller closes it.
     *
     * @param manifest the manifest from {@link #readManifest()}
     * @param modality a modality of the config
     * @param instances its instances from {@link #instances(Manifest, String)}
     * @return the encoder
     */
    public Encoder openEncoder(Manifest manifest, String modality, List<StoreInstance> instances) {
        return encoder(manifest, modality(modality), instances);
    }

    /**
     * The store writer {@link #run()} uses for one modality: same store, batch and shard size.
     *
     * @param modality a modality of the config
     * @return the writer
     */
    public StoreWriter writer(String modality) {
        StoreWriter.Builder b = StoreWriter.builder()
                .setStore(FeatureStore.open(store))
                .optBatch(batch)
                .optWorkers(workers)
                .optProgress(progress);
        return modality(modality).isMatrix() ? b.optShardSize(MATRIX_SHARD).build() : b.build();
    }

    /**
     * When the store already holds every vector of a model-encoded modality, makes it current without loading the
     * model, as {@link #run()} does.
     *
     * @param modality a modality of the config
     * @param instances its instances from {@link #instances(Manifest, String)}
     * @return the result when nothing needs encoding, else empty
     */
    public Optional<EncodeResult> reuseIfComplete(String modality, List<StoreInstance> instances) {
        return reuseIfComplete(writer(modality), modality(modality), instances);
    }

    private Optional<EncodeResult> reuseIfComplete(StoreWriter writer, ModalityConfig m, List<StoreInstance> in) {
        if (m.isTabular() || VECTORS.equals(m.encoder())) {
            return Optional.empty();
        }
        // a spec's fingerprint needs no model: skip loading it when every vector is cached
        EncoderSpec spec = spec(m);
        String fp = isImage(spec)
                ? FramePoolingEncoder.fingerprint(spec.fingerprint(), "max".equals(m.timePooling()), sampling(m))
                : spec.fingerprint();
        return writer.reuseIfComplete(m.name(), spec.name(), fp, spec.dimension(), in);
    }

    private ModalityConfig modality(String name) {
        ModalityConfig m = config.modalities().get(name);
        if (m == null) {
            throw new BtwException(config.source() + ": no modality named " + name);
        }
        return m;
    }

    /**
     * Encodes the rows of new data in memory with this config's encoders, as {@code btw predict} needs: the same
     * vectors {@link #run()} would store for them. Tabular modalities are standardised with the statistics of the
     * config's own (training) manifest's train split, so they match what the model was trained on.
     *
     * @param data new data with the columns the modalities read
     * @param only the modalities to encode
     * @return per modality (config order), one vector per row of {@code data}, null where the modality is missing
     */
    public Map<String, float[][]> encodeRows(Manifest data, Set<String> only) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        Manifest training = null;
        for (ModalityConfig m : config.modalities().values()) {
            if (!only.contains(m.name())) {
                continue;
            }
            List<StoreInstance> in = instances(data, m);
            Encoder encoder;
            if (m.isTabular()) {
                if (training == null) {
                    training = readManifest();
                }
                encoder = encoder(training, m, instances(training, m));
            } else {
                encoder = encoder(data, m, in);
            }
            float[][] vectors = new float[in.size()][];
            try (encoder) {
                List<Integer> rows = new ArrayList<>();
                long done = 0;
                for (int r = 0; r < in.size(); r++) {
                    if (in.get(r).present()) {
                        rows.add(r);
                    }
                }
                for (int start = 0; start < rows.size(); start += batch) {
                    List<Integer> part = rows.subList(start, Math.min(rows.size(), start + batch));
                    List<EncoderInput> inputs = new ArrayList<>(part.size());
                    for (int r : part) {
                        inputs.add(in.get(r).input());
                    }
                    List<float[]> encoded = encoder.encode(inputs);
                    FiniteVectors.require(m.name(), encoder, inputs, encoded);
                    for (int j = 0; j < part.size(); j++) {
                        vectors[part.get(j)] = encoded.get(j);
                    }
                    done += part.size();
                    if (progress != null) {
                        progress.update(m.name(), done, rows.size());
                    }
                }
            }
            out.put(m.name(), vectors);
        }
        return out;
    }

    private Encoder encoder(Manifest manifest, ModalityConfig m, List<StoreInstance> in) {
        if (m.isTabular()) {
            List<String> cols = columns(manifest, m);
            List<EncoderInput> train = new ArrayList<>();
            for (int r : manifest.rowsOf(Split.TRAIN)) {
                StoreInstance s = in.get(r);
                if (s.present()) {
                    train.add(s.input());
                }
            }
            if (train.isEmpty()) {
                throw new BtwException("modality " + m.name() + ": no train instance has any of its columns");
            }
            return TabularEncoder.fit(TABULAR, cols, train);
        }
        if (m.isMatrix()) {
            return new MatrixEncoder(VECTORS, matrix(m));
        }
        if (VECTORS.equals(m.encoder())) {
            StoreInstance first = in.stream()
                    .filter(StoreInstance::present)
                    .findFirst()
                    .orElseThrow(() -> new BtwException(
                            "modality " + m.name() + ": every cell of column '" + m.column() + "' is empty"));
            return PrecomputedEncoder.probe(
                    VECTORS, first.input().value(), manifest.baseDir(), "max".equals(m.timePooling()));
        }
        EncoderSpec spec = spec(m);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        Device device = DeviceChoice.resolve(
                "encode.device", config.encode().device(), spec.engine().djlName());
        Encoder e = Encoders.load(
                spec, fetcher, EncoderOptions.DEFAULT.withThreads(threads).withDevice(device), m.maxSeconds());
        return isImage(spec) ? new FramePoolingEncoder(e, "max".equals(m.timePooling()), sampling(m)) : e;
    }

    /** @return how a modality samples the frames of video files */
    private FrameSampling sampling(ModalityConfig m) {
        try {
            return new FrameSampling(m.frames(), m.fps(), m.maxFrames(), m.maxSeconds());
        } catch (IllegalArgumentException e) {
            throw new BtwException(config.source() + ": modalities." + m.name() + ": " + e.getMessage(), e);
        }
    }

    private EncoderSpec spec(ModalityConfig m) {
        EncoderSpec spec = locator.find(m.encoder(), config.baseDir());
        if (m.poolingOverride().isPresent()) {
            Pooling p;
            try {
                p = new Pooling(m.poolingOverride().get(), spec.pooling().classes());
            } catch (IllegalArgumentException e) {
                throw new BtwException(config.source() + ": modalities." + m.name() + ".pooling: " + e.getMessage());
            }
            spec = new EncoderSpec(
                    spec.name(),
                    spec.folder(),
                    spec.modality(),
                    spec.engine(),
                    spec.files(),
                    spec.inputs(),
                    spec.preprocess(),
                    p,
                    spec.dimension(),
                    spec.output(),
                    spec.licence(),
                    spec.trainable());
        }
        return spec;
    }

    private List<String> columns(Manifest manifest, ModalityConfig m) {
        DataConfig d = config.data();
        try {
            return TabularEncoder.selectColumns(
                    manifest.columns(), m.columns(), m.pattern(), List.of(d.id(), d.split(), d.label()));
        } catch (BtwException e) {
            throw new BtwException(manifest.file() + ": modality " + m.name() + ": " + e.getMessage());
        }
    }

    private List<StoreInstance> instances(Manifest manifest, ModalityConfig m) {
        if (m.isTabular()) {
            return ModalityCells.tabular(manifest, columns(manifest, m));
        }
        if (m.isMatrix()) {
            return ModalityCells.matrix(
                    manifest, m.name(), matrix(m), m.matrixIds() == null ? null : config.resolve(m.matrixIds()));
        }
        if (VECTORS.equals(m.encoder())) {
            return ModalityCells.read(manifest, m.column(), ModalityCells.Kind.VECTORS);
        }
        EncoderSpec spec = spec(m);
        ModalityCells.Kind kind = spec.preprocess() == null
                ? ModalityCells.Kind.FILE
                : spec.preprocess()
                        .match(
                                t -> ModalityCells.Kind.TEXT,
                                au -> ModalityCells.Kind.AUDIO,
                                i -> ModalityCells.Kind.IMAGE,
                                v -> ModalityCells.Kind.CLIP);
        if (kind == ModalityCells.Kind.CLIP && m.fps() > 0) {
            throw new BtwException(config.source() + ": modalities." + m.name() + ".fps: encoder " + spec.name()
                    + " is a clip encoder, which takes the " + ((VideoPreprocess) spec.preprocess()).frames()
                    + " frames its spec names spread evenly; fps applies to image encoders read frame by frame");
        }
        return ModalityCells.read(manifest, m.column(), kind, sampling(m));
    }

    private NpyMatrix matrix(ModalityConfig m) {
        try {
            return NpyMatrix.open(config.resolve(m.matrix()));
        } catch (BtwException e) {
            throw new BtwException(config.source() + ": modalities." + m.name() + ".matrix: " + e.getMessage(), e);
        }
    }

    private static boolean isImage(EncoderSpec spec) {
        return Preprocess.kindOf(spec.preprocess()) == Preprocess.Kind.IMAGE;
    }

    /** Builds a {@link ManifestEncoding}: {@code setConfig} is required, the rest optional. */
    public static final class Builder {
        private BtwConfig config;
        private SpecLocator locator;
        private AssetFetcher fetcher;
        private EncodeProgress progress = EncodeProgress.NONE;
        private int batch;
        private int workers;
        private Path store;

        private Builder() {}

        /**
         * @param config the run config (manifest, modalities, encode settings)
         * @return this builder
         */
        public Builder setConfig(BtwConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param locator where encoder specs are looked up (default: {@link SpecLocator#defaults()})
         * @return this builder
         */
        public Builder optLocator(SpecLocator locator) {
            this.locator = locator;
            return this;
        }

        /**
         * @param fetcher where model files come from (default: the {@code $BTW_HOME} cache)
         * @return this builder
         */
        public Builder optFetcher(AssetFetcher fetcher) {
            this.fetcher = fetcher;
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

        /**
         * @param batch instances per encoder call (default: {@code encode.batch})
         * @return this builder
         */
        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * @param workers parallel workers (default: {@code encode.threads}, 0 meaning one per core)
         * @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * @param store the store folder (default: {@code encode.store})
         * @return this builder
         */
        public Builder optStore(Path store) {
            this.store = store;
            return this;
        }

        /** @return the encoding */
        public ManifestEncoding build() {
            if (config == null) {
                throw new IllegalStateException("setConfig is required");
            }
            return new ManifestEncoding(this);
        }
    }
}

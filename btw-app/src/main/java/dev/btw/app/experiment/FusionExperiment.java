package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.run.MethodMetrics;
import dev.btw.app.run.RunDirectory;
import dev.btw.app.run.RunModel;
import dev.btw.app.run.SplitMetrics;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import dev.btw.core.io.FolderLock;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.djl.encoder.spec.SpecReader;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.PredictionsReader;
import dev.btw.djl.training.References;
import dev.btw.djl.training.SplitData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code btw train} does after reading the config and the data: trains the unimodal references once
 * (cached in the run directory and reused by every method and seed), then each fusion method for each seed,
 * and writes the run directory ({@link RunDirectory}: {@code config.yaml}, {@code standardisation.json},
 * {@code model.json}, {@code metrics.json}, {@code provenance.json}, {@code weights/}, {@code predictions/},
 * {@code checkpoints/}, {@code references/}).
 *
 * <pre>{@code
 * FusionData data = TabularFeatures.load(config);
 * Path out = Path.of("runs/diabetes");
 * new FusionExperiment(config, data, out).withMethods(List.of("uniform", "kl*mi")).run();
 * }</pre>
 */
public final class FusionExperiment {

    private final BtwConfig config;
    private final FusionData data;
    private final RunDirectory dir;
    private List<String> methods;
    private List<Integer> seeds;
    private boolean resume;
    private boolean force;
    private PrintStream progress;

    /**
     * @param config the resolved config
     * @param data the data it describes
     * @param dir the run directory
     */
    public FusionExperiment(BtwConfig config, FusionData data, Path dir) {
        this.config = config;
        this.data = data;
        this.dir = RunDirectory.of(dir);
        this.seeds = config.train().seeds();
        this.methods = defaultMethods();
    }

    /** @return every unimodal reference, late-average, uniform, and the config's BTW rule */
    public List<String> defaultMethods() {
        List<String> m = new ArrayList<>();
        for (String name : data.modalities()) {
            m.add(Method.unimodal(name).toString());
        }
        m.add(Method.LATE_AVERAGE.toString());
        m.add(Method.fusion(CombinationRule.UNIFORM).toString());
        CombinationRule rule = config.btw().rule();
        if (rule != CombinationRule.UNIFORM) {
            m.add(rule.toString());
        }
        return m;
    }

    /**
     * @param methods methods in their string form (see {@link Method})
     * @return this
     */
    public FusionExperiment withMethods(List<String> methods) {
        List<String> checked = new ArrayList<>();
        for (String m : methods) {
            String c = Method.parse(m, data.modalities()).toString();
            if (!checked.contains(c)) {
                checked.add(c);
            }
        }
        if (checked.isEmpty()) {
            throw new BtwException("the method list is empty: at least one method is needed");
        }
        this.methods = checked;
        return this;
    }

    /**
     * @param seeds the seeds, one run per method and seed
     * @return this
     */
    public FusionExperiment withSeeds(List<Integer> seeds) {
        if (seeds.isEmpty()) {
            throw new BtwException("the seed list is empty: at least one seed is needed");
        }
        this.seeds = List.copyOf(seeds);
        return this;
    }

    /**
     * @param resume continue finished and interrupted work found in the run directory
     * @return this
     */
    public FusionExperiment withResume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /**
     * @param force write into a run directory that holds files btw did not write (a user's own {@code config.yaml}
     *     is then overwritten)
     * @return this
     */
    public FusionExperiment withForce(boolean force) {
        this.force = force;
        return this;
    }

    /**
     * @param progress where one line per epoch goes, or null
     * @return this
     */
    public FusionExperiment withProgress(PrintStream progress) {
        this.progress = progress;
        return this;
    }

    /**
     * The model spec the config describes, for this data set.
     *
     * @param config the config
     * @param data the data
     * @return the spec
     */
    public static MoeFusionSpec spec(BtwConfig config, FusionData data) {
        return MoeFusionSpec.of(config.model(), data.dims(), data.outputs());
    }

    /**
     * Runs everything and writes the run directory, holding its lock ({@link RunDirectory#lockForWriting}): a second
     * writer of the same folder fails at once naming this process.
     *
     * @return the metrics, as written to {@code metrics.json}
     */
    public ObjectNode run() {
        dir.requireOwnFolder(force);
        try (FolderLock lock = dir.lockForWriting()) {
            lock.takenOver().ifPresent(holder -> log("took over the lock of a process that ended (" + holder + ")"));
            return runLocked();
        }
    }

    private ObjectNode runLocked() {
        long start = System.nanoTime();
        Device device = DeviceChoice.resolve(config.train().device());
        DeviceChoice.setThreads(config.train().threads());
        MoeFusionSpec spec = spec(config, data);
        TrainSettings settings = TrainSettings.of(config.train());
        dir.create();
        dir.writeConfig(config);
        RunDirectory.writeJson(dir.standardisation(), standardisationJson());

        Map<String, MethodMetrics> results = new LinkedHashMap<>();
        ObjectNode timings = Checkpoint.JSON.createObjectNode();
        References refs = references(spec, settings, device, results, timings);
        for (String method : methods) {
            Method parsed = Method.parse(method);
            if (parsed instanceof Method.LateAverage) {
                Map<Split, Map<String, Double>> bysplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    SplitData d = data.split(s);
                    Predictions p = refs.lateAverage(s, data.task(), d.ids());
                    writePredictions(method, null, s, p);
                    bysplit.put(s, RunMetrics.compute(data.task(), p, d.labels()));
                }
                results.put(method, new MethodMetrics(method, List.of(new SplitMetrics(bysplit))));
            } else if (parsed instanceof Method.Linear) {
                List<SplitMetrics> runs = new ArrayList<>();
                for (int seed : seeds) {
                    runs.add(linear(seed, timings));
                }
                results.put(method, new MethodMetrics(method, runs));
            } else if (parsed instanceof Method.Fusion) {
                List<SplitMetrics> runs = new ArrayList<>();
                for (int seed : seeds) {
                    runs.add(fusion(method, seed, spec, settings, device, refs, timings));
                }
                results.put(method, new MethodMetrics(method, runs));
            }
        }
        // model.json before metrics.json: a finished run (metrics.json present) always describes its model
        dir.writeModel(new RunModel(
                data.task(),
                data.classes(),
                spec,
                config.btw().inference(),
                List.copyOf(results.keySet()),
                seeds,
                encoders()));
        ObjectNode metrics = dir.writeMetrics(data.task(), List.copyOf(results.values()));
        writeProvenance(device, spec, timings, System.nanoTime() - start);
        return metrics;
    }

    /**
     * Each modality's encoder reference for {@code model.json}: a reference that names a spec folder relative to the
     * config's folder is recorded as that folder's absolute path (the run directory's own {@code config.yaml} would
     * resolve it against the run directory instead).
     */
    private Map<String, String> encoders() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : data.modalities()) {
            ModalityConfig c = config.modalities().get(m);
            String reference = c == null ? "vectors" : c.encoder();
            if (c != null
                    && !c.isTabular()
                    && !"vectors".equals(reference)
                    && Files.isRegularFile(config.resolve(reference).resolve(SpecReader.FILE))) {
                reference = config.resolve(reference).toAbsolutePath().toString();
            }
            out.put(m, reference);
        }
        return out;
    }

    private References references(
            MoeFusionSpec spec,
            TrainSettings settings,
            Device device,
            Map<String, MethodMetrics> results,
            ObjectNode timings) {
        ReferencePolicy policy = config.btw().references();
        References refs = new References().withPolicy(policy);
        int seed = seeds.get(0);
        Map<String, String> groups = policy == ReferencePolicy.OUT_OF_FOLD ? foldGroups() : null;
        for (String m : data.modalities()) {
            Map<Split, Predictions> bySplit;
            double sigma;
            if (resume && Files.exists(dir.referenceDone(m))) {
                verifyReference(m);
                bySplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    bySplit.put(
                            s,
                            PredictionsReader.read(
                                    dir.referencePredictions(m, s),
                                    data.split(s).ids(),
                                    data.task(),
                                    data.classes()));
                }
                sigma = readJson(dir.referenceDone(m)).get("sigma").asDouble();
            } else {
                FusionData restricted = data.restrictTo(m);
                BtwSettings none = config.btw().withRule(null);
                FusionRun run = new FusionRun(
                        restricted,
                        spec.restrictTo(m),
                        settings,
                        none,
                        null,
                        device,
                        seed,
                        dir.checkpoint(Method.unimodal(m).toString(), seed),
                        null);
                log("reference " + m);
                FusionRun.Outcome o = runNamed(
                        run.withObserver(observer(Method.unimodal(m).toString(), seed)),
                        Method.unimodal(m).toString());
                bySplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    bySplit.put(s, align(o.predictions().get(s), data.split(s).ids()));
                    bySplit.get(s)
                            .writeCsv(
                                    dir.referencePredictions(m, s),
                                    data.task(),
                                    data.classes(),
                                    data.split(s).labels());
                }
                sigma = data.task() == Task.REGRESSION
                        ? bySplit.get(Split.TRAIN)
                                .rmsResidual(data.split(Split.TRAIN).labels())
                        : Double.NaN;
                ObjectNode done = Checkpoint.JSON.createObjectNode();
                done.put("sigma", sigma);
                done.put("seed", seed);
                done.put("best_epoch", o.state().bestEpoch);
                RunDirectory.writeJson(dir.referenceDone(m), done);
                timings.set(Method.unimodal(m) + "/" + RunDirectory.seedFolder(seed), timing(o));
            }
            refs.put(m, bySplit, sigma);
            if (policy == ReferencePolicy.OUT_OF_FOLD) {
                outOfFold(m, spec, settings, device, seed, groups, refs, timings);
            }
            Map<Split, Map<String, Double>> byslit = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                writePredictions(Method.unimodal(m).toString(), null, s, bySplit.get(s));
                byslit.put(
                        s,
                        RunMetrics.compute(
                                data.task(), bySplit.get(s), data.split(s).labels()));
            }
            if (methods.contains(Method.unimodal(m).toString())) {
                results.put(
                        Method.unimodal(m).toString(),
                        new MethodMetrics(Method.unimodal(m).toString(), List.of(new SplitMetrics(byslit))));
            }
        }
        return refs;
    }

    /**
     * Trains (or, on resume, reads) the cross-fitted train predictions of modality m's reference and records them
     * in refs, with their cost in the timings ({@code unimodal:m/out-of-fold}).
     */
    private void outOfFold(
            String m,
            MoeFusionSpec spec,
            TrainSettings settings,
            Device device,
            int seed,
            Map<String, String> groups,
            References refs,
            ObjectNode timings) {
        Path file = dir.referenceOutOfFold(m);
        Path done = dir.referenceOutOfFoldDone(m);
        int folds = config.btw().folds();
        String group = config.btw().foldGroup();
        SplitData train = data.split(Split.TRAIN);
        Predictions oof;
        if (resume
                && Files.exists(done)
                && readJson(done).get("folds").asInt() == folds
                && String.valueOf(group)
                        .equals(readJson(done).path("fold_group").asText("null"))) {
            oof = PredictionsReader.read(file, train.ids(), data.task(), data.classes());
        } else {
            log("reference " + m + ": " + folds + " out-of-fold models");
            OutOfFoldReference.Result r;
            try {
                r = new OutOfFoldReference(data.restrictTo(m), spec.restrictTo(m), settings, device, seed)
                        .run(folds, groups);
            } catch (BtwException e) {
                throw new BtwException("out-of-fold references of modality " + m + ": " + e.getMessage(), e);
            }
            oof = align(r.train(), train.ids());
            oof.writeCsv(file, data.task(), data.classes(), train.labels());
            ObjectNode d = Checkpoint.JSON.createObjectNode();
            d.put("folds", folds);
            d.put("fold_group", String.valueOf(group));
            d.put("seed", seed);
            d.put("seconds", r.nanos() / 1e9);
            RunDirectory.writeJson(done, d);
            timings.set(Method.unimodal(m) + "/out-of-fold", d);
        }
        double sigma = data.task() == Task.REGRESSION ? oof.rmsResidual(train.labels()) : Double.NaN;
        refs.putOutOfFold(m, oof, sigma);
    }

    /** @return the {@code btw.fold_group} column by id, or null when it is not set */
    private Map<String, String> foldGroups() {
        String column = config.btw().foldGroup();
        if (column == null) {
            return null;
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(
                    config.data().manifest(),
                    config.data().id(),
                    config.data().split(),
                    config.data().label(),
                    List.of(column));
        } catch (BtwException e) {
            throw new BtwException("config key 'btw.fold_group': " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        for (int row = 0; row < manifest.size(); row++) {
            out.put(manifest.ids().get(row), manifest.cell(row, column));
        }
        return out;
    }

    private SplitMetrics fusion(
            String method,
            int seed,
            MoeFusionSpec spec,
            TrainSettings settings,
            Device device,
            References refs,
            ObjectNode timings) {
        Path done = dir.done(method, seed);
        if (resume && Files.exists(done)) {
            // done.json is trusted only when the checkpoint an export will read verifies
            Checkpoint.verify(dir.bestCheckpoint(method, seed));
            ObjectNode d = readJson(done);
            timings.set(method + "/" + RunDirectory.seedFolder(seed), d.get("timing"));
            return readMetrics(d);
        }
        log(method + " seed " + seed);
        BtwSettings options = config.btw().withRule(MethodName.rule(method));
        FusionRun run = new FusionRun(
                data,
                spec,
                settings,
                options,
                refs,
                device,
                seed,
                dir.checkpoint(method, seed),
                dir.weights(method, seed));
        FusionRun.Outcome o = runNamed(run.withObserver(observer(method, seed)), method);
        SplitMetrics metrics = writeAndScore(method, seed, o.predictions());
        ObjectNode d = Checkpoint.JSON.createObjectNode();
        d.set("metrics", Checkpoint.JSON.valueToTree(metrics.bySplit()));
        d.set("timing", timing(o));
        timings.set(method + "/" + RunDirectory.seedFolder(seed), d.get("timing"));
        RunDirectory.writeJson(done, d);
        return metrics;
    }

    /**
     * A finished reference's {@code done.json} is trusted only when its best checkpoint verifies (a reference whose
     * checkpoints live in another run directory, as {@code btw bench suite} copies them, has no checkpoint folder
     * here and is taken as it is).
     */
    private void verifyReference(String m) {
        String method = MethodName.UNIMODAL + m;
        if (!Files.isDirectory(dir.checkpoints(method))) {
            return;
        }
        JsonNode seed = readJson(dir.referenceDone(m)).path("seed");
        Checkpoint.verify(dir.bestCheckpoint(method, seed.isInt() ? seed.asInt() : seeds.get(0)));
    }

    /** The metrics a seed's {@code done.json} recorded. */
    private static SplitMetrics readMetrics(ObjectNode done) {
        return new SplitMetrics(Checkpoint.JSON.convertValue(
                done.get("metrics"), new TypeReference<Map<Split, Map<String, Double>>>() {}));
    }

    /** Writes a method's predictions for one seed (and, for the first seed, without one) and scores every split. */
    private SplitMetrics writeAndScore(String method, int seed, Map<Split, Predictions> bySplit) {
        Map<Split, Map<String, Double>> metrics = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            writePredictions(method, seed, s, bySplit.get(s));
            if (seed == seeds.get(0)) {
                writePredictions(method, null, s, bySplit.get(s));
            }
            metrics.put(
                    s,
                    RunMetrics.compute(
                            data.task(), bySplit.get(s), data.split(s).labels()));
        }
        return new SplitMetrics(metrics);
    }

    /** The early-fusion linear baseline for one seed, resumable like a fusion method. */
    private SplitMetrics linear(int seed, ObjectNode timings) {
        String method = Method.LINEAR.toString();
        Path done = dir.done(method, seed);
        if (resume && Files.exists(done)) {
            ObjectNode d = readJson(done);
            timings.set(method + "/" + RunDirectory.seedFolder(seed), d.get("timing"));
            return readMetrics(d);
        }
        log(method + " seed " + seed);
        long t0 = System.nanoTime();
        LinearBaseline.Outcome o = new LinearBaseline(data, seed).run();
        SplitMetrics metrics = writeAndScore(method, seed, o.predictions());
        ObjectNode d = Checkpoint.JSON.createObjectNode();
        d.set("metrics", Checkpoint.JSON.valueToTree(metrics.bySplit()));
        ObjectNode t = d.putObject("timing");
        t.put("train_seconds", (System.nanoTime() - t0) / 1e9);
        t.put("penalty", o.penalty());
        timings.set(method + "/" + RunDirectory.seedFolder(seed), t);
        RunDirectory.writeJson(done, d);
        return metrics;
    }

    /** Runs one method, naming it in a failure (a diverged loss names the seed and epoch itself). */
    private FusionRun.Outcome runNamed(FusionRun run, String method) {
        try {
            return run.run(resume);
        } catch (BtwException e) {
            throw new BtwException("method " + method + ": " + e.getMessage(), e);
        }
    }

    private ObjectNode timing(FusionRun.Outcome o) {
        ObjectNode t = Checkpoint.JSON.createObjectNode();
        long train = o.state().epochNanos.stream().mapToLong(Long::longValue).sum();
        t.put("epochs", o.state().epoch);
        t.put("best_epoch", o.state().bestEpoch);
        t.put("train_seconds", train / 1e9);
        t.put("refresh_seconds", o.refreshNanos() / 1e9);
        t.put("refreshes", o.weights().refreshes());
        return t;
    }

    /**
     * One progress line per epoch, with the training rate and an upper bound on the run's remaining time (early
     * stopping may end it sooner).
     */
    private FusionRun.EpochObserver observer(String method, int seed) {
        long start = System.nanoTime();
        int maxEpochs = config.train().epochs();
        int perEpoch = data.split(Split.TRAIN).size();
        return (epoch, loss, monitor) -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            long eta = Math.round(seconds / epoch * Math.max(0, maxEpochs - epoch));
            log(String.format(
                    Locale.ROOT,
                    "%s seed %d epoch %d/%d: train loss %.4f, val %s %.4f (%.0f instances/s, ETA <= %d:%02d)",
                    method,
                    seed,
                    epoch,
                    maxEpochs,
                    loss,
                    data.task() == Task.REGRESSION ? "mae" : "f1_macro",
                    monitor,
                    perEpoch * (double) epoch / Math.max(seconds, 1e-9),
                    eta / 60,
                    eta % 60));
        };
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }

    private void writePredictions(String method, Integer seed, Split split, Predictions p) {
        p.writeCsv(
                dir.predictions(method, seed, split),
                data.task(),
                data.classes(),
                data.split(split).labels());
    }

    private static Predictions align(Predictions restricted, List<String> ids) {
        Map<String, double[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < restricted.ids().size(); i++) {
            byId.put(restricted.ids().get(i), restricted.values()[i]);
        }
        double[][] out = new double[ids.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] v = byId.get(ids.get(i));
            out[i] = v == null ? new double[] {Double.NaN} : v;
        }
        return new Predictions(ids, out);
    }

    private ObjectNode standardisationJson() {
        ObjectNode root = Checkpoint.JSON.createObjectNode();
        root.set("features", Checkpoint.JSON.valueToTree(data.standardisation()));
        if (data.task() == Task.REGRESSION) {
            root.set("label", Checkpoint.JSON.valueToTree(FusionRun.labelScale(data)));
            ObjectNode uni = root.putObject("label_unimodal");
            for (String m : data.modalities()) {
                uni.set(m, Checkpoint.JSON.valueToTree(FusionRun.labelScale(data.restrictTo(m))));
            }
        }
        return root;
    }

    private void writeProvenance(Device device, MoeFusionSpec spec, ObjectNode timings, long nanos) {
        ObjectNode p = Checkpoint.JSON.createObjectNode();
        ObjectNode v = p.putObject("versions");
        String version = FusionExperiment.class.getPackage().getImplementationVersion();
        v.put("btw", version == null ? "development build" : version);
        v.put("djl", Engine.getDjlVersion());
        v.put(
                "engine",
                Engine.getInstance().getEngineName() + " "
                        + Engine.getInstance().getVersion());
        v.put("java", System.getProperty("java.version"));
        p.put("git_commit", GitCommit.read());
        p.set("seeds", Checkpoint.JSON.valueToTree(seeds));
        p.set("methods", Checkpoint.JSON.valueToTree(methods));
        p.put("model", spec.toString());
        ObjectNode d = p.putObject("data");
        d.put("manifest", config.data().manifest().getFileName().toString());
        d.put("manifest_sha256", Fingerprint.sha256(config.data().manifest()));
        data.dims().forEach((k, dim) -> d.put("dim_" + k, dim));
        for (Split s : Split.values()) {
            d.put("n_" + s.label(), data.split(s).size());
        }
        ObjectNode machine = p.putObject("machine");
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("device", device.toString());
        machine.put("threads", config.train().threads());
        p.set("timings", timings);
        p.put("total_seconds", nanos / 1e9);
        RunDirectory.writeJson(dir.provenance(), p);
    }

    private static ObjectNode readJson(Path file) {
        try {
            return (ObjectNode) Checkpoint.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.djl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.metrics.SeedSummary;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.djl.model.MoeFusionSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code btw train} does after reading the config and the data: trains the unimodal references once
 * (cached in the run directory and reused by every method and seed), then each fusion method for each seed,
 * and writes the run directory: {@code config.yaml}, {@code standardisation.json}, {@code provenance.json},
 * {@code metrics.json},
 * {@code weights/}, {@code predictions/}, {@code checkpoints/}.
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
    private final Path dir;
    private List<String> methods;
    private List<Integer> seeds;
    private boolean resume;
    private PrintStream progress;

    /**
     * @param config the resolved config
     * @param data the data it describes
     * @param dir the run directory
     */
    public FusionExperiment(BtwConfig config, FusionData data, Path dir) {
        this.config = config;
        this.data = data;
        this.dir = dir;
        this.seeds = config.train().seeds();
        this.methods = defaultMethods();
    }

    /** @return every unimodal reference, late-average, uniform, and the config's BTW rule */
    public List<String> defaultMethods() {
        List<String> m = new ArrayList<>();
        for (String name : data.modalities()) {
            m.add(MethodName.UNIMODAL + name);
        }
        m.add(MethodName.LATE_AVERAGE);
        m.add(MethodName.UNIFORM);
        CombinationRule rule = config.btw().rule();
        if (rule != CombinationRule.UNIFORM) {
            m.add(rule.toString());
        }
        return m;
    }

    /**
     * @param methods method names (see {@link MethodName})
     * @return this
     */
    public FusionExperiment withMethods(List<String> methods) {
        List<String> checked = new ArrayList<>();
        for (String m : methods) {
            String c = MethodName.check(m, data.modalities());
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
     * Runs everything and writes the run directory.
     *
     * @return the metrics, as written to {@code metrics.json}
     */
    public ObjectNode run() {
        long start = System.nanoTime();
        Device device = DeviceChoice.resolve(config.train().device());
        DeviceChoice.setThreads(config.train().threads());
        MoeFusionSpec spec = spec(config, data);
        TrainSettings settings = TrainSettings.of(config.train());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BtwException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve("config.yaml"), config.toYaml());
        AtomicFiles.writeString(dir.resolve(STANDARDISATION), pretty(standardisationJson()));

        Map<String, List<Map<Split, Map<String, Double>>>> results = new LinkedHashMap<>();
        ObjectNode timings = Checkpoint.JSON.createObjectNode();
        References refs = references(spec, settings, device, results, timings);
        for (String method : methods) {
            if (method.equals(MethodName.LATE_AVERAGE)) {
                Map<Split, Map<String, Double>> bysplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    SplitData d = data.split(s);
                    Predictions p = refs.lateAverage(s, data.task(), d.ids());
                    writePredictions(method, null, s, p);
                    bysplit.put(s, RunMetrics.compute(data.task(), p, d.labels()));
                }
                results.put(method, List.of(bysplit));
            } else if (method.equals(MethodName.LINEAR)) {
                List<Map<Split, Map<String, Double>>> runs = new ArrayList<>();
                for (int seed : seeds) {
                    runs.add(linear(seed, timings));
                }
                results.put(method, runs);
            } else if (!method.startsWith(MethodName.UNIMODAL)) {
                List<Map<Split, Map<String, Double>>> runs = new ArrayList<>();
                for (int seed : seeds) {
                    runs.add(fusion(method, seed, spec, settings, device, refs, timings));
                }
                results.put(method, runs);
            }
        }
        ObjectNode metrics = metricsJson(results);
        AtomicFiles.writeString(dir.resolve("metrics.json"), pretty(metrics));
        writeProvenance(device, spec, timings, System.nanoTime() - start);
        return metrics;
    }

    private References references(MoeFusionSpec spec, TrainSettings settings, Device device,
            Map<String, List<Map<Split, Map<String, Double>>>> results, ObjectNode timings) {
        ReferencePolicy policy = config.btw().references();
        References refs = new References().withPolicy(policy);
        int seed = seeds.get(0);
        Map<String, String> groups = policy == ReferencePolicy.OUT_OF_FOLD ? foldGroups() : null;
        for (String m : data.modalities()) {
            Path cache = dir.resolve("references").resolve(m);
            Map<Split, Predictions> bySplit;
            double sigma;
            if (resume && Files.exists(cache.resolve("done.json"))) {
                bySplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    bySplit.put(s, PredictionsReader.read(cache.resolve(s.label() + ".csv"), data.split(s).ids(),
                            data.task(), data.classes()));
                }
                sigma = readJson(cache.resolve("done.json")).get("sigma").asDouble();
            } else {
                FusionData restricted = data.restrictTo(m);
                BtwOptions none = BtwOptions.of(config.btw(), null);
                FusionRun run = new FusionRun(restricted, spec.restrictTo(m), settings, none, null, device, seed,
                        dir.resolve("checkpoints").resolve(MethodName.slug(MethodName.UNIMODAL + m))
                                .resolve("seed-" + seed), null);
                log("reference " + m);
                FusionRun.Outcome o = runNamed(run.withObserver(observer("unimodal:" + m, seed)),
                        MethodName.UNIMODAL + m);
                bySplit = new EnumMap<>(Split.class);
                for (Split s : Split.values()) {
                    bySplit.put(s, align(o.predictions().get(s), data.split(s).ids()));
                    bySplit.get(s).writeCsv(cache.resolve(s.label() + ".csv"), data.task(), data.classes(),
                            data.split(s).labels());
                }
                sigma = data.task() == Task.REGRESSION ? rms(bySplit.get(Split.TRAIN), data.split(Split.TRAIN))
                        : Double.NaN;
                ObjectNode done = Checkpoint.JSON.createObjectNode();
                done.put("sigma", sigma);
                done.put("seed", seed);
                done.put("best_epoch", o.state().bestEpoch);
                AtomicFiles.writeString(cache.resolve("done.json"), pretty(done));
                timings.set(MethodName.UNIMODAL + m + "/seed-" + seed, timing(o));
            }
            refs.put(m, bySplit, sigma);
            if (policy == ReferencePolicy.OUT_OF_FOLD) {
                outOfFold(m, spec, settings, device, seed, groups, cache, refs, timings);
            }
            Map<Split, Map<String, Double>> byslit = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                writePredictions(MethodName.UNIMODAL + m, null, s, bySplit.get(s));
                byslit.put(s, RunMetrics.compute(data.task(), bySplit.get(s), data.split(s).labels()));
            }
            if (methods.contains(MethodName.UNIMODAL + m)) {
                results.put(MethodName.UNIMODAL + m, List.of(byslit));
            }
        }
        return refs;
    }

    /**
     * Trains (or, on resume, reads) the cross-fitted train predictions of modality m's reference and records them
     * in refs, with their cost in the timings ({@code unimodal:m/out-of-fold}).
     */
    private void outOfFold(String m, MoeFusionSpec spec, TrainSettings settings, Device device, int seed,
            Map<String, String> groups, Path cache, References refs, ObjectNode timings) {
        Path file = cache.resolve(OUT_OF_FOLD_CSV);
        Path done = cache.resolve("out-of-fold.json");
        int folds = config.btw().folds();
        String group = config.btw().foldGroup();
        SplitData train = data.split(Split.TRAIN);
        Predictions oof;
        if (resume && Files.exists(done) && readJson(done).get("folds").asInt() == folds
                && String.valueOf(group).equals(readJson(done).path("fold_group").asText("null"))) {
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
            AtomicFiles.writeString(done, pretty(d));
            timings.set(MethodName.UNIMODAL + m + "/out-of-fold", d);
        }
        double sigma = data.task() == Task.REGRESSION ? rms(oof, train) : Double.NaN;
        refs.putOutOfFold(m, oof, sigma);
    }

    /** The name of a reference's cross-fitted train predictions in {@code references/<modality>/}. */
    public static final String OUT_OF_FOLD_CSV = "train-out-of-fold.csv";

    /** @return the {@code btw.fold_group} column by id, or null when it is not set */
    private Map<String, String> foldGroups() {
        String column = config.btw().foldGroup();
        if (column == null) {
            return null;
        }
        dev.btw.core.data.Manifest manifest;
        try {
            manifest = dev.btw.core.data.Manifest.read(config.data().manifest(), config.data().id(),
                    config.data().split(), config.data().label(), List.of(column));
        } catch (BtwException e) {
            throw new BtwException("config key 'btw.fold_group': " + e.getMessage(), e);
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (int row = 0; row < manifest.size(); row++) {
            out.put(manifest.ids().get(row), manifest.cell(row, column));
        }
        return out;
    }

    private Map<Split, Map<String, Double>> fusion(String method, int seed, MoeFusionSpec spec,
            TrainSettings settings, Device device, References refs, ObjectNode timings) {
        String slug = MethodName.slug(method);
        Path ckpt = dir.resolve("checkpoints").resolve(slug).resolve("seed-" + seed);
        Path done = ckpt.resolve("done.json");
        if (resume && Files.exists(done)) {
            ObjectNode d = readJson(done);
            Map<Split, Map<String, Double>> m = Checkpoint.JSON.convertValue(d.get("metrics"),
                    new TypeReference<Map<Split, Map<String, Double>>>() { });
            timings.set(method + "/seed-" + seed, d.get("timing"));
            return new EnumMap<>(m);
        }
        log(method + " seed " + seed);
        BtwOptions options = BtwOptions.of(config.btw(), MethodName.rule(method));
        FusionRun run = new FusionRun(data, spec, settings, options, refs, device, seed, ckpt,
                dir.resolve("weights").resolve(slug).resolve("seed-" + seed));
        FusionRun.Outcome o = runNamed(run.withObserver(observer(method, seed)), method);
        Map<Split, Map<String, Double>> metrics = writeAndScore(method, seed, o.predictions());
        ObjectNode d = Checkpoint.JSON.createObjectNode();
        d.set("metrics", Checkpoint.JSON.valueToTree(metrics));
        d.set("timing", timing(o));
        timings.set(method + "/seed-" + seed, d.get("timing"));
        AtomicFiles.writeString(done, pretty(d));
        return metrics;
    }

    /** Writes a method's predictions for one seed (and, for the first seed, without one) and scores every split. */
    private Map<Split, Map<String, Double>> writeAndScore(String method, int seed, Map<Split, Predictions> bySplit) {
        Map<Split, Map<String, Double>> metrics = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            writePredictions(method, seed, s, bySplit.get(s));
            if (seed == seeds.get(0)) {
                writePredictions(method, null, s, bySplit.get(s));
            }
            metrics.put(s, RunMetrics.compute(data.task(), bySplit.get(s), data.split(s).labels()));
        }
        return metrics;
    }

    /** The early-fusion linear baseline for one seed, resumable like a fusion method. */
    private Map<Split, Map<String, Double>> linear(int seed, ObjectNode timings) {
        String method = MethodName.LINEAR;
        Path done = dir.resolve("checkpoints").resolve(method).resolve("seed-" + seed).resolve("done.json");
        if (resume && Files.exists(done)) {
            ObjectNode d = readJson(done);
            timings.set(method + "/seed-" + seed, d.get("timing"));
            return new EnumMap<>(Checkpoint.JSON.convertValue(d.get("metrics"),
                    new TypeReference<Map<Split, Map<String, Double>>>() { }));
        }
        log(method + " seed " + seed);
        long t0 = System.nanoTime();
        LinearBaseline.Outcome o = new LinearBaseline(data, seed).run();
        Map<Split, Map<String, Double>> metrics = writeAndScore(method, seed, o.predictions());
        ObjectNode d = Checkpoint.JSON.createObjectNode();
        d.set("metrics", Checkpoint.JSON.valueToTree(metrics));
        ObjectNode t = d.putObject("timing");
        t.put("train_seconds", (System.nanoTime() - t0) / 1e9);
        t.put("penalty", o.penalty());
        timings.set(method + "/seed-" + seed, t);
        AtomicFiles.writeString(done, pretty(d));
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
            log(String.format(java.util.Locale.ROOT,
                    "%s seed %d epoch %d/%d: train loss %.4f, val %s %.4f (%.0f instances/s, ETA <= %d:%02d)", method,
                    seed, epoch, maxEpochs, loss, data.task() == Task.REGRESSION ? "mae" : "f1_macro", monitor,
                    perEpoch * (double) epoch / Math.max(seconds, 1e-9), eta / 60, eta % 60));
        };
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }

    private void writePredictions(String method, Integer seed, Split split, Predictions p) {
        Path folder = dir.resolve("predictions");
        if (seed != null) {
            folder = folder.resolve("seed-" + seed);
        }
        p.writeCsv(folder.resolve(MethodName.slug(method) + "-" + split.label() + ".csv"), data.task(),
                data.classes(), data.split(split).labels());
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

    private static double rms(Predictions p, SplitData d) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < d.size(); i++) {
            if (p.has(i)) {
                double r = d.labels()[i] - p.values()[i][0];
                s += r * r;
                n++;
            }
        }
        return Math.sqrt(s / Math.max(1, n));
    }

    private ObjectNode metricsJson(Map<String, List<Map<Split, Map<String, Double>>>> results) {
        ObjectNode root = Checkpoint.JSON.createObjectNode();
        root.put("task", data.task().toString());
        ObjectNode methodsNode = root.putObject("methods");
        for (Map.Entry<String, List<Map<Split, Map<String, Double>>>> e : results.entrySet()) {
            ObjectNode mNode = methodsNode.putObject(e.getKey());
            for (Split s : Split.values()) {
                ObjectNode sNode = mNode.putObject(s.label());
                Map<String, Double> first = e.getValue().get(0).get(s);
                for (String metric : first.keySet()) {
                    double[] runs = e.getValue().stream().mapToDouble(r -> r.get(s).get(metric)).toArray();
                    SeedSummary sum = SeedSummary.of(runs);
                    ObjectNode v = sNode.putObject(metric);
                    v.put("mean", sum.mean());
                    v.put("std", sum.std());
                    ArrayNode arr = v.putArray("runs");
                    for (double r : runs) {
                        arr.add(r);
                    }
                }
            }
        }
        return root;
    }

    /**
     * The run-directory file holding each modality's feature standardisation ({@code {"features": {m: {mean,
     * std}}}}) and, for regression, the label scaling the models were trained with ({@code "label"} for the fusion
     * methods, {@code "label_unimodal": {m: ...}} for each reference, whose train set is the instances having m).
     */
    public static final String STANDARDISATION = "standardisation.json";

    private ObjectNode standardisationJson() {
        ObjectNode root = Checkpoint.JSON.createObjectNode();
        root.set("features", Checkpoint.JSON.valueToTree(data.standardisation()));
        if (data.task() == dev.btw.core.Task.REGRESSION) {
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
        v.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
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
        AtomicFiles.writeString(dir.resolve("provenance.json"), pretty(p));
    }

    private static ObjectNode readJson(Path file) {
        try {
            return (ObjectNode) Checkpoint.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String pretty(Object node) {
        try {
            return Checkpoint.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

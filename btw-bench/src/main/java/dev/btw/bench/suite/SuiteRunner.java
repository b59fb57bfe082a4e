package dev.btw.bench.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.Method;
import dev.btw.app.experiment.StoreFeatures;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.run.RunDirectory;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs the suite into a work folder: {@code WORK/<data set>/<condition>/seed-<s>/} is one {@code btw train} run
 * directory (all methods of the condition, that one seed), so every method, the unimodal references included,
 * has one run per seed and methods pair up by seed. Conditions: {@code main} (the data set as built),
 * {@code noise-<k>} (k pure-noise modalities added) and {@code corrupt} (a per-instance corrupted copy of the
 * strongest modality added). Sweep conditions reuse the main run's unimodal references of the original
 * modalities (copied, then resumed), so only the added modalities' references train again.
 *
 * <p>Phase 1 runs the main condition of every data set, phase 2 the sweeps, then the settings variants and the
 * reference policies ({@code references-<policy>}: out-of-fold and validation references, paired with the
 * main condition's in-sample runs by seed), the reference policies under the sweeps' hardest conditions and the
 * weight scale {@code mean-one} there ({@code scale-mean-one-<condition>}), so that an interrupted suite has
 * the headline tables first. A run directory with a {@code metrics.json} is finished and skipped: rerunning the
 * same command resumes. Several invocations may share a work folder (say, one per data set): each run directory
 * is claimed with a lock file naming the process, and a directory claimed by a live process is skipped.
 */
public final class SuiteRunner {

    static final ObjectMapper JSON = Json.MAPPER;

    private final SuitePlan plan;
    private final Path work;
    private final PrintStream progress;

    /**
     * @param plan what to run
     * @param work the work folder
     * @param progress one line per run started and finished, or null
     */
    public SuiteRunner(SuitePlan plan, Path work, PrintStream progress) {
        this.plan = plan;
        this.work = work;
        this.progress = progress;
    }

    /**
     * Runs every condition of every data set and records the invocation in {@code suite.json} (command, plan,
     * data sets, machine, times).
     *
     * @param datasets the data sets, in order
     * @param command the command line, recorded for the results page
     */
    public void run(List<SuiteDataset> datasets, String command) {
        run(datasets, command, List::of);
    }

    /**
     * Runs the suite with helper processes ({@code --jobs}): this process and the workers share the work folder
     * through the run-directory locks; when this process has made its pass it waits for the workers, then makes
     * a second pass for anything a worker left (a worker that died leaves a stale lock, which is taken over).
     *
     * @param datasets the data sets, in order
     * @param command the command line, recorded for the results page
     * @param startWorkers starts the worker processes; called once the data sets are loaded (and encoded), so
     *     that workers never encode the same features at once
     */
    public void run(List<SuiteDataset> datasets, String command, Supplier<List<SuiteWorkers.Worker>> startWorkers) {
        long start = System.nanoTime();
        ObjectNode inv = JSON.createObjectNode();
        inv.put("command", command);
        inv.put("started", Instant.now().toString());
        inv.set("plan", planJson());
        inv.set("machine", Machine.describe());
        ArrayNode names = inv.putArray("datasets");
        datasets.forEach(d -> names.add(d.name()));
        int index = record(inv, -1);
        Loaded loaded = load(datasets);
        List<SuiteWorkers.Worker> workers = startWorkers.get();
        inv.put("jobs", workers.size() + 1);
        train(datasets, loaded);
        if (!workers.isEmpty()) {
            SuiteWorkers.awaitAll(workers, this::log);
            train(datasets, loaded);
        }
        inv.put("finished", Instant.now().toString());
        inv.put("seconds", (System.nanoTime() - start) / 1e9);
        record(inv, index);
    }

    /**
     * Trains what is left without recording an invocation: the body of a {@code --jobs} worker process.
     *
     * @param datasets the data sets, in order
     */
    public void trainOnly(List<SuiteDataset> datasets) {
        train(datasets, load(datasets));
    }

    private record Loaded(List<BtwConfig> configs, List<FusionData> data) {}

    private Loaded load(List<SuiteDataset> datasets) {
        List<BtwConfig> configs = new ArrayList<>();
        List<FusionData> data = new ArrayList<>();
        for (SuiteDataset d : datasets) {
            BtwConfig c = BtwConfig.load(d.config(), plan.overrides());
            log(d.name() + ": loading " + d.config().getFileName());
            FusionData fd =
                    TabularFeatures.applies(c) ? TabularFeatures.load(c) : StoreFeatures.load(c, EncodeProgress.NONE);
            configs.add(c);
            data.add(fd);
            writeDatasetJson(d, fd);
        }
        return new Loaded(configs, data);
    }

    private void train(List<SuiteDataset> datasets, Loaded loaded) {
        List<BtwConfig> configs = loaded.configs();
        List<FusionData> data = loaded.data();
        for (int i = 0; i < datasets.size() && plan.phases().contains("main"); i++) {
            List<String> methods = new ArrayList<>();
            data.get(i).modalities().forEach(m -> methods.add(Method.unimodal(m).toString()));
            methods.addAll(plan.fusionMethods());
            for (int seed : plan.seeds()) {
                runOne(datasets.get(i).name(), "main", configs.get(i), data.get(i), methods, seed, List.of());
            }
        }
        if (plan.sweeps() && plan.phases().contains("sweeps")) {
            for (int i = 0; i < datasets.size(); i++) {
                sweeps(datasets.get(i), configs.get(i), data.get(i));
            }
        }
        if (plan.phases().contains("variants")) {
            for (int i = 0; i < datasets.size(); i++) {
                for (Map.Entry<String, List<String>> v : plan.variants().entrySet()) {
                    List<String> o = new ArrayList<>(plan.overrides());
                    o.addAll(v.getValue());
                    BtwConfig c = BtwConfig.load(datasets.get(i).config(), o);
                    for (int seed : plan.seeds()) {
                        runOne(
                                datasets.get(i).name(),
                                "variant-" + v.getKey(),
                                c,
                                data.get(i),
                                plan.variantRules(v.getKey()),
                                seed,
                                MAIN_REFERENCES);
                    }
                }
            }
        }
        if (plan.phases().contains("references")) {
            for (int i = 0; i < datasets.size(); i++) {
                policies(datasets.get(i), configs.get(i), "main", data.get(i));
            }
        }
        if (plan.sweeps() && plan.phases().contains("sweep-references")) {
            for (int i = 0; i < datasets.size(); i++) {
                for (String base : plan.sweepReferenceBases()) {
                    FusionData derived = base.equals("corrupt")
                            ? corrupted(datasets.get(i), data.get(i))
                            : withNoise(datasets.get(i), data.get(i), SuitePlan.noiseCount(base));
                    if (derived != null) {
                        policies(datasets.get(i), configs.get(i), base, derived);
                    }
                }
            }
        }
        if (plan.sweeps() && plan.phases().contains("sweep-scale")) {
            for (int i = 0; i < datasets.size(); i++) {
                for (String base : plan.sweepScaleBases()) {
                    FusionData derived = base.equals("corrupt")
                            ? corrupted(datasets.get(i), data.get(i))
                            : withNoise(datasets.get(i), data.get(i), SuitePlan.noiseCount(base));
                    if (derived != null) {
                        scale(datasets.get(i), base, derived);
                    }
                }
            }
        }
    }

    /**
     * Runs {@link SuitePlan#scaleRules()} with the non-default scale ({@link ScaleCondition#OTHER}) on the data of a
     * sweep condition, with that condition's seeds and its references (copied from its run of the same seed), so that
     * the runs pair with its default-scale ones.
     */
    private void scale(SuiteDataset d, String base, FusionData data) {
        List<String> o = new ArrayList<>(plan.overrides());
        o.add(ScaleCondition.OVERRIDE);
        BtwConfig c = BtwConfig.load(d.config(), o);
        String condition = new ScaleCondition(base).name();
        for (int seed : plan.seeds()) {
            runOne(d.name(), condition, c, data, plan.scaleRules(), seed, List.of(base));
        }
    }

    /**
     * Runs {@link SuitePlan#referenceRules()} under every reference policy on the data of one condition (the
     * main data or a sweep condition's), with that condition's seeds, so that the runs pair with its in-sample
     * ones.
     */
    private void policies(SuiteDataset d, BtwConfig config, String base, FusionData data) {
        for (String policy : SuitePlan.REFERENCE_POLICIES) {
            List<String> o = new ArrayList<>(plan.overrides());
            o.add("btw.references=" + policy);
            String group = SuitePlan.FOLD_GROUPS.get(d.name());
            if (group != null && config.btw().foldGroup() == null) {
                o.add("btw.fold_group=" + group);
            }
            BtwConfig c = BtwConfig.load(d.config(), o);
            String condition = new PolicyCondition(policy, base).name();
            boolean main = base.equals("main");
            // under a sweep, the original modalities' out-of-fold predictions are those of the main data's policy
            // run (same data, folds and seed), so they are copied, not trained again: only the sweep's own
            // modalities (noise, corrupted copy) train fold models
            List<String> sources = main ? MAIN_REFERENCES : List.of("main", new PolicyCondition(policy, "main").name());
            for (int seed : plan.seeds()) {
                runOne(
                        d.name(),
                        condition,
                        c,
                        data,
                        main ? plan.referenceRules() : plan.sweepReferenceRules(),
                        seed,
                        sources);
            }
        }
    }

    /**
     * Adds or replaces this invocation in {@code suite.json} ({@code {"invocations": [...]}}), so that several
     * commands (say, the tabular data sets and, separately, the encoded ones) can share one work folder.
     */
    private synchronized int record(ObjectNode invocation, int index) {
        Path file = work.resolve("suite.json");
        ObjectNode suite;
        try {
            suite = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new BtwException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ArrayNode all = suite.has("invocations") ? (ArrayNode) suite.get("invocations") : suite.putArray("invocations");
        int at = index;
        if (at < 0 || at >= all.size()) {
            all.add(invocation);
            at = all.size() - 1;
        } else {
            all.set(at, invocation);
        }
        write(file, suite);
        return at;
    }

    private void sweeps(SuiteDataset d, BtwConfig config, FusionData data) {
        for (int k : plan.noiseCounts()) {
            if (k == 0) {
                continue;
            }
            FusionData derived = withNoise(d, data, k);
            for (int seed : plan.seeds()) {
                runOne(
                        d.name(),
                        SuitePlan.noiseCondition(k),
                        config,
                        derived,
                        plan.fusionMethods(),
                        seed,
                        MAIN_REFERENCES);
            }
        }
        FusionData derived = corrupted(d, data);
        if (derived == null) {
            return;
        }
        for (int seed : plan.seeds()) {
            runOne(d.name(), "corrupt", config, derived, plan.fusionMethods(), seed, MAIN_REFERENCES);
        }
    }

    /** @return the data of condition {@code noise-<k>}: the same noise for every seed, phase and process */
    private FusionData withNoise(SuiteDataset d, FusionData data, int k) {
        return DerivedData.withNoise(data, k, plan.noiseWidth(), d.name().hashCode() * 31L + k);
    }

    /**
     * @return the data of condition {@code corrupt} (a corrupted copy of the best unimodal reference on val over
     *     the main condition's seeds, which it waits for), or null when no main run finished
     */
    private FusionData corrupted(SuiteDataset d, FusionData data) {
        for (int seed : plan.seeds()) {
            awaitOthers(work.resolve(d.name()).resolve("main").resolve(RunDirectory.seedFolder(seed)));
        }
        DatasetResults main = DatasetResults.read(work.resolve(d.name()), plan.seeds());
        String strongest = main.bestUnimodal();
        if (strongest == null) {
            log(d.name() + ": no finished main run, corrupted-copy condition skipped");
            return null;
        }
        return DerivedData.withCorruptedCopy(
                data, strongest, plan.corruptLevels(), d.name().hashCode() * 31L + 1000);
    }

    /** The reference sources of a condition that reuses the main run's full-train references. */
    private static final List<String> MAIN_REFERENCES = List.of("main");

    /**
     * Trains one run directory of the suite, unless it is finished or another process holds it.
     *
     * @param referenceSources conditions whose run directory of the same seed holds references this run reuses
     *     (copied before training, in order, a file that is already there kept; the training then skips every
     *     reference whose files are complete)
     */
    private void runOne(
            String dataset,
            String condition,
            BtwConfig config,
            FusionData data,
            List<String> methods,
            int seed,
            List<String> referenceSources) {
        Path dir = work.resolve(dataset).resolve(condition).resolve(RunDirectory.seedFolder(seed));
        if (RunDirectory.of(dir).isFinished()) {
            log(dataset + " " + condition + " seed " + seed + ": done before, skipped");
            return;
        }
        if (!claim(dir)) {
            log(dataset + " " + condition + " seed " + seed + ": running in another process, skipped");
            return;
        }
        for (String source : referenceSources) {
            Path from = work.resolve(dataset).resolve(source).resolve(RunDirectory.seedFolder(seed));
            awaitOthers(from);
            copyReferences(from, dir);
        }
        log(dataset + " " + condition + " seed " + seed + ": " + methods.size() + " methods");
        long t0 = System.nanoTime();
        new FusionExperiment(config, data, dir)
                .withMethods(methods)
                .withSeeds(List.of(seed))
                .withResume(true)
                .run();
        log(String.format(
                Locale.ROOT, "%s %s seed %d: %.1f s", dataset, condition, seed, (System.nanoTime() - t0) / 1e9));
        try {
            Files.deleteIfExists(RunDirectory.of(dir).lock());
        } catch (IOException e) {
            // a stale lock names a dead process and is taken over next time
        }
    }

    /**
     * Claims a run directory for this process: a lock file holding the process id. A lock of a live process
     * means another {@code btw bench suite} over the same work folder is training it; a dead one is taken over.
     */
    private static boolean claim(Path dir) {
        Path lock = RunDirectory.of(dir).lock();
        try {
            Files.createDirectories(dir);
            if (claimedByOther(dir)) {
                return false;
            }
            Files.deleteIfExists(lock);
            Files.writeString(lock, Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE_NEW);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new BtwException("cannot claim run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits while another live process trains a run directory (so that its references are copied whole, and the
     * strongest modality is chosen on every main seed, as in a single process).
     */
    private void awaitOthers(Path dir) {
        boolean said = false;
        while (!RunDirectory.of(dir).isFinished() && claimedByOther(dir)) {
            if (!said) {
                log("waiting for another process to finish " + work.relativize(dir));
                said = true;
            }
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BtwException("interrupted while waiting for " + dir);
            }
        }
    }

    private static boolean claimedByOther(Path dir) {
        Path lock = RunDirectory.of(dir).lock();
        try {
            long owner = Long.parseLong(Files.readString(lock).trim());
            return owner != ProcessHandle.current().pid()
                    && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void copyReferences(Path mainRun, Path dir) {
        Path from = RunDirectory.of(mainRun).references();
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = RunDirectory.of(dir)
                        .references()
                        .resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!Files.exists(to)) {
                    Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy references from " + from + ": " + e.getMessage(), e);
        }
    }

    private void writeDatasetJson(SuiteDataset d, FusionData fd) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", d.name());
        n.put("config", d.config().getFileName().toString());
        n.put("task", fd.task().toString());
        ObjectNode dims = n.putObject("modalities");
        fd.dims().forEach(dims::put);
        for (Split s : Split.values()) {
            n.put("n_" + s.label(), fd.split(s).size());
        }
        write(work.resolve(d.name()).resolve("dataset.json"), n);
    }

    private ObjectNode planJson() {
        ObjectNode p = JSON.createObjectNode();
        p.put("quick", plan.quick());
        p.set("seeds", JSON.valueToTree(plan.seeds()));
        p.set("rules", JSON.valueToTree(plan.rules()));
        p.set("overrides", JSON.valueToTree(plan.overrides()));
        p.set("noise_counts", JSON.valueToTree(plan.noiseCounts()));
        p.put("noise_width", plan.noiseWidth());
        p.set("corrupt_levels", JSON.valueToTree(plan.corruptLevels()));
        p.put("sweeps", plan.sweeps());
        p.set("variants", JSON.valueToTree(plan.variants()));
        p.set("variant_rules", JSON.valueToTree(plan.variantRules()));
        p.set("phases", JSON.valueToTree(plan.phases()));
        p.set("reference_policies", JSON.valueToTree(SuitePlan.REFERENCE_POLICIES));
        p.set("reference_rules", JSON.valueToTree(plan.referenceRules()));
        p.set("sweep_reference_bases", JSON.valueToTree(plan.sweepReferenceBases()));
        p.set("sweep_reference_rules", JSON.valueToTree(plan.sweepReferenceRules()));
        p.set("scale_rules", JSON.valueToTree(plan.scaleRules()));
        p.set("sweep_scale_bases", JSON.valueToTree(plan.sweepScaleBases()));
        return p;
    }

    static void write(Path file, Object node) {
        try {
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new BtwException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    void log(String line) {
        if (progress != null) {
            progress.println("[" + LocalTime.now().withNano(0) + "] " + line);
        }
    }
}

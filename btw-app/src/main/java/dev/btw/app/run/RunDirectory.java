package dev.btw.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.FineTunedEncoderFolder;
import dev.btw.app.experiment.Method;
import dev.btw.app.experiment.MethodName;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.FileErrors;
import dev.btw.core.io.FolderLock;
import dev.btw.core.io.Json;
import dev.btw.core.io.PathNames;
import dev.btw.core.metrics.SeedSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The run directory of {@code btw train}: the one place that knows its layout, with its readers and writers (every
 * write atomic, {@link AtomicFiles}). Everything a later command needs is inside, so the folder travels alone:
 * {@code btw export} and {@code btw report} read nothing else (neither the original config, nor the manifest, nor
 * the feature store).
 *
 * <pre>
 * config.yaml                 the resolved config (defaults filled in)
 * model.json                  what was trained ({@link RunModel}): fusion spec, task, classes, methods, seeds
 * standardisation.json        the features' (and, for regression, the labels') standardisation
 * metrics.json                every method's metrics per split (mean, std and runs over seeds); written last
 *                             by the training, so its presence means the run finished
 * provenance.json             versions, data fingerprint, machine, timings
 * predictions/SLUG-SPLIT.csv  the first seed's predictions; predictions/seed-S/SLUG-SPLIT.csv every seed's
 * weights/SLUG/seed-S/        the BTW weight history (refresh-NNNN.csv and .json)
 * checkpoints/SLUG/seed-S/    last.ckpt, best.ckpt, done.json (metrics and timing of a finished seed),
 *                             inference.json (the instance policy's settings), encoders/MODALITY/ (fine-tuned)
 * btw.lock                    the lock of the process writing the folder (pid and start time; empty when free)
 * references/MODALITY/        the unimodal reference's predictions (SPLIT.csv), done.json, and with out-of-fold
 *                             references train-out-of-fold.csv and out-of-fold.json
 * </pre>
 *
 * <p>{@code SLUG} is the method's file-name slug ({@link MethodName#slug}). A run written before {@code model.json}
 * existed is still read: {@link #readModel()} then rebuilds the model's description from {@code config.yaml},
 * {@code provenance.json}, {@code metrics.json} and the predictions' header, as earlier versions did.
 */
public final class RunDirectory {

    /** The resolved config. */
    public static final String CONFIG = "config.yaml";
    /** The trained model's description ({@link RunModel}). */
    public static final String MODEL = "model.json";
    /** Every method's metrics; written last, so that its presence marks a finished run. */
    public static final String METRICS = "metrics.json";
    /** Versions, data fingerprint, machine and timings. */
    public static final String PROVENANCE = "provenance.json";
    /**
     * Each modality's feature standardisation ({@code {"features": {m: {mean, std}}}}) and, for regression, the label
     * scaling the models were trained with ({@code "label"} for the fusion methods, {@code "label_unimodal": {m:
     * ...}} for each reference, whose train set is the instances having m).
     */
    public static final String STANDARDISATION = "standardisation.json";
    /** The folder of the checkpoints, one subfolder per method slug and seed. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The folder of the BTW weight histories, one subfolder per method slug and seed. */
    public static final String WEIGHTS = "weights";
    /** The folder of the prediction files. */
    public static final String PREDICTIONS = "predictions";
    /** The folder of the unimodal references' predictions, one subfolder per modality. */
    public static final String REFERENCES = "references";
    /** The checkpoint of the last finished epoch (for resume), in a method and seed's checkpoint folder. */
    public static final String LAST_CHECKPOINT = "last.ckpt";
    /** The checkpoint of the best validation epoch, in a method and seed's checkpoint folder. */
    public static final String BEST_CHECKPOINT = "best.ckpt";
    /** The marker of finished work (a seed of a method, or a unimodal reference), with its results. */
    public static final String DONE = "done.json";
    /** A reference's cross-fitted train predictions, in {@code references/MODALITY/}. */
    public static final String OUT_OF_FOLD_CSV = "train-out-of-fold.csv";
    /** The marker of a reference's finished out-of-fold models, in {@code references/MODALITY/}. */
    public static final String OUT_OF_FOLD_DONE = "out-of-fold.json";
    /** The lock file of the process training the folder ({@code btw bench suite}), holding its process id. */
    public static final String LOCK = "suite.lock";

    private static final String SEED = "seed-";

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * @param root the run directory's folder (it need not exist yet)
     * @return the run directory
     */
    public static RunDirectory of(Path root) {
        return new RunDirectory(root);
    }

    /** @return the folder */
    public Path root() {
        return root;
    }

    /**
     * @param seed a seed
     * @return its folder name, {@code seed-S}
     */
    public static String seedFolder(int seed) {
        return SEED + seed;
    }

    /**
     * @param folder a folder
     * @return the seed its name ({@code seed-S}) gives, or empty for any other name
     */
    public static OptionalInt seedOf(Path folder) {
        String name = folder.getFileName().toString();
        if (name.startsWith(SEED)) {
            try {
                return OptionalInt.of(Integer.parseInt(name.substring(SEED.length())));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /** @return {@value #CONFIG} */
    public Path config() {
        return root.resolve(CONFIG);
    }

    /** @return {@value #MODEL} */
    public Path model() {
        return root.resolve(MODEL);
    }

    /** @return {@value #METRICS} */
    public Path metrics() {
        return root.resolve(METRICS);
    }

    /** @return {@value #PROVENANCE} */
    public Path provenance() {
        return root.resolve(PROVENANCE);
    }

    /** @return {@value #STANDARDISATION} */
    public Path standardisation() {
        return root.resolve(STANDARDISATION);
    }

    /** @return {@value #LOCK} */
    public Path lock() {
        return root.resolve(LOCK);
    }

    /** @return whether the run finished ({@value #METRICS} exists) */
    public boolean isFinished() {
        return Files.isRegularFile(metrics());
    }

    /**
     * @param method a method name
     * @return its checkpoint folder over every seed, {@code checkpoints/SLUG}
     */
    public Path checkpoints(String method) {
        return PathNames.child(root.resolve(CHECKPOINTS), "method", MethodName.slug(method));
    }

    /**
     * @param method a method name
     * @param seed a seed
     * @return the checkpoint folder of that method and seed, {@code checkpoints/SLUG/seed-S}
     */
    public Path checkpoint(String method, int seed) {
        return checkpoints(method).resolve(seedFolder(seed));
    }

    /**
     * @param method a method name
     * @param seed a seed
     * @return {@code checkpoints/SLUG/seed-S/best.ckpt}
     */
    public Path bestCheckpoint(String method, int seed) {
        return checkpoint(method, seed).resolve(BEST_CHECKPOINT);
    }

    /**
     * @param method a method name
     * @param seed a seed
     * @return {@code checkpoints/SLUG/seed-S/done.json}
     */
    public Path done(String method, int seed) {
        return checkpoint(method, seed).resolve(DONE);
    }

    /**
     * The seed of a method's best checkpoint: the given one when its checkpoint exists, else the first seed folder
     * (a unimodal reference is trained once per run, under the run's first seed).
     *
     * @param method a method name
     * @param seed the wanted seed
     * @return the seed whose checkpoint to read
     */
    public int checkpointSeed(String method, int seed) {
        if (Files.isRegularFile(bestCheckpoint(method, seed))) {
            return seed;
        }
        Path dir = checkpoints(method);
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(SEED))
                    .sorted()
                    .findFirst()
                    .map(n -> Integer.parseInt(n.substring(SEED.length())))
                    .orElse(seed);
        } catch (IOException | NumberFormatException e) {
            return seed;
        }
    }

    /**
     * The fine-tuned encoder folders of one method and seed (for a unimodal reference, of the first seed folder that
     * has them).
     *
     * @param method a method name
     * @param seed a seed
     * @return spec folders by modality, empty when none
     */
    public Map<String, Path> fineTunedEncoders(String method, int seed) {
        Path dir = checkpoints(method);
        Map<String, Path> found = FineTunedEncoderFolder.find(checkpoint(method, seed));
        if (found.isEmpty() && Method.parse(method) instanceof Method.Unimodal && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    found = FineTunedEncoderFolder.find(p);
                    if (!found.isEmpty()) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new BtwException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** @return the folder of the weight histories, {@value #WEIGHTS} */
    public Path weights() {
        return root.resolve(WEIGHTS);
    }

    /**
     * @param method a method name
     * @param seed a seed
     * @return the weight history folder of that method and seed, {@code weights/SLUG/seed-S}
     */
    public Path weights(String method, int seed) {
        return weightsOfSlug(MethodName.slug(method), seed);
    }

    /**
     * @param slug a method's slug
     * @param seed a seed
     * @return {@code weights/SLUG/seed-S}
     */
    public Path weightsOfSlug(String slug, int seed) {
        return PathNames.child(weights(), "method", slug).resolve(seedFolder(seed));
    }

    /** @return the folder of the prediction files, {@value #PREDICTIONS} */
    public Path predictions() {
        return root.resolve(PREDICTIONS);
    }

    /**
     * @param method a method name
     * @param seed a seed, or null for the first seed's copy at the top of {@value #PREDICTIONS}
     * @param split a split
     * @return {@code predictions/[seed-S/]SLUG-SPLIT.csv}
     */
    public Path predictions(String method, Integer seed, Split split) {
        Path folder = seed == null ? predictions() : predictions().resolve(seedFolder(seed));
        return folder.resolve(predictionFile(method, split));
    }

    /**
     * @param method a method name
     * @param split a split
     * @return the prediction file's name, {@code SLUG-SPLIT.csv}
     */
    public static String predictionFile(String method, Split split) {
        return MethodName.slug(method) + "-" + split.label() + ".csv";
    }

    /**
     * @return the {@code predictions/seed-S} folders, sorted by name
     * @throws BtwException when the predictions folder cannot be listed
     */
    public List<Path> predictionSeedFolders() {
        if (!Files.isDirectory(predictions())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(predictions())) {
            return s.filter(p -> Files.isDirectory(p) && seedOf(p).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BtwException("cannot list " + predictions() + ": " + e.getMessage(), e);
        }
    }

    /** @return the folder of the unimodal references, {@value #REFERENCES} */
    public Path references() {
        return root.resolve(REFERENCES);
    }

    /**
     * @param modality a modality
     * @return its reference's folder, {@code references/MODALITY}
     */
    public Path reference(String modality) {
        return PathNames.child(references(), "modality", modality);
    }

    /**
     * @param modality a modality
     * @return {@code references/MODALITY/done.json}
     */
    public Path referenceDone(String modality) {
        return reference(modality).resolve(DONE);
    }

    /**
     * @param modality a modality
     * @param split a split
     * @return {@code references/MODALITY/SPLIT.csv}
     */
    public Path referencePredictions(String modality, Split split) {
        return reference(modality).resolve(split.label() + ".csv");
    }

    /**
     * @param modality a modality
     * @return {@code references/MODALITY/train-out-of-fold.csv}
     */
    public Path referenceOutOfFold(String modality) {
        return reference(modality).resolve(OUT_OF_FOLD_CSV);
    }

    /**
     * @param modality a modality
     * @return {@code references/MODALITY/out-of-fold.json}
     */
    public Path referenceOutOfFoldDone(String modality) {
        return reference(modality).resolve(OUT_OF_FOLD_DONE);
    }

    /** The top-level names btw writes in a run directory besides {@value #CONFIG}: one of them marks the folder btw's. */
    private static final Set<String> OWN_MARKERS = Set.of(
            MODEL,
            METRICS,
            PROVENANCE,
            STANDARDISATION,
            CHECKPOINTS,
            WEIGHTS,
            PREDICTIONS,
            REFERENCES,
            LOCK,
            FolderLock.FILE);

    /**
     * Refuses a folder that is not empty and was not written by btw (a user's folder holding, say, their own
     * {@code config.yaml}, which training would overwrite), unless forced. Hidden files are not counted.
     *
     * @param force write anyway
     * @throws BtwException naming the folder and its first foreign file, and {@code --force}
     */
    public void requireOwnFolder(boolean force) {
        if (force || !Files.isDirectory(root)) {
            return;
        }
        List<String> names;
        try (Stream<Path> s = Files.list(root)) {
            names = s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BtwException("cannot list " + root + ": " + FileErrors.cause(e), e);
        }
        if (names.isEmpty() || names.stream().anyMatch(OWN_MARKERS::contains)) {
            return;
        }
        throw new BtwException(root + " is not empty and not a btw run directory (it holds " + names.get(0)
                + (names.size() > 1 ? " and " + (names.size() - 1) + " more" : "") + "); training would overwrite "
                + CONFIG + " there: choose a new or empty --out, or pass --force to write into it anyway");
    }

    /**
     * Creates the folder and takes its lock: the process that writes a run directory holds it until done.
     *
     * @return the lock, to close when the writing is done
     * @throws BtwException naming the holder's process id and start time when another process writes the folder
     */
    public FolderLock lockForWriting() {
        return FolderLock.acquire(root, "run directory");
    }

    /**
     * Creates the folder.
     *
     * @throws BtwException when it cannot be created
     */
    public void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new BtwException("cannot create run directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value #CONFIG}.
     *
     * @param config the resolved config
     */
    public void writeConfig(BtwConfig config) {
        AtomicFiles.writeString(config(), config.toYaml());
    }

    /**
     * @return the run's config ({@value #CONFIG}); relative paths in it resolve against the run directory
     * @throws BtwException when it is missing or invalid
     */
    public BtwConfig readConfig() {
        requireFile(config());
        return BtwConfig.load(config(), List.of());
    }

    /**
     * Writes a JSON document, indented, atomically.
     *
     * @param file the file (one of this directory's)
     * @param node the document
     */
    public static void writeJson(Path file, Object node) {
        AtomicFiles.writeString(file, pretty(node));
    }

    /**
     * @param node a JSON tree or value
     * @return its indented text, with a final newline (the layout of every JSON file of the run directory)
     */
    public static String pretty(Object node) {
        try {
            return Json.PRETTY.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param file a JSON file of the run directory
     * @return its tree
     * @throws BtwException naming the file when it is missing or not valid JSON
     */
    public static JsonNode readJson(Path file) {
        requireFile(file);
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new BtwException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BtwException(
                    "not a finished btw run directory: " + file.getFileName() + " missing in " + file.getParent());
        }
    }

    /**
     * Writes {@value #METRICS}: {@code {"task", "methods": {METHOD: {SPLIT: {METRIC: {"mean", "std", "runs"}}}}}},
     * with the metrics of the first seed's model in their order.
     *
     * @param task the task
     * @param results every method's metrics, in the order to write
     * @return the document written
     */
    public ObjectNode writeMetrics(Task task, List<MethodMetrics> results) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("task", task.toString());
        ObjectNode methodsNode = root.putObject("methods");
        for (MethodMetrics e : results) {
            ObjectNode mNode = methodsNode.putObject(e.method());
            for (Split s : Split.values()) {
                ObjectNode sNode = mNode.putObject(s.label());
                Map<String, Double> first = e.seeds().get(0).get(s);
                for (String metric : first.keySet()) {
                    double[] runs = e.seeds().stream()
                            .mapToDouble(r -> r.get(s).get(metric))
                            .toArray();
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
        writeJson(metrics(), root);
        return root;
    }

    /**
     * @return the tree of {@value #METRICS}
     * @throws BtwException when the folder or the file is missing, or the file is not a btw metrics file
     */
    public JsonNode readMetrics() {
        if (!Files.isDirectory(root)) {
            throw new BtwException("run directory not found: " + root);
        }
        if (!isFinished()) {
            throw new BtwException(root + ": no " + METRICS + " (has 'btw train' finished?)");
        }
        JsonNode node = readJson(metrics());
        if (!node.has("methods")) {
            throw new BtwException(metrics() + ": no 'methods' key; not a btw metrics file");
        }
        return node;
    }

    /**
     * Writes {@value #MODEL}.
     *
     * @param model what the run trained
     */
    public void writeModel(RunModel model) {
        writeJson(model(), model.toJson());
    }

    /**
     * What the run trained: {@value #MODEL}, or for a run written before that file existed, the same rebuilt from
     * {@value #CONFIG}, {@value #PROVENANCE}, {@value #METRICS} and the predictions' header.
     *
     * @return the model's description
     * @throws BtwException naming the file and key that is missing or malformed
     */
    public RunModel readModel() {
        if (Files.isRegularFile(model())) {
            return RunModel.fromJson(readJson(model()), model().toString());
        }
        return LegacyRunModel.rebuild(this);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}

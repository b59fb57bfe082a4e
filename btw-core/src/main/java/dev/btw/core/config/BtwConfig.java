package dev.btw.core.config;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A resolved run configuration: the user's YAML laid over {@link ConfigDefaults}, with {@code --set} overrides
 * applied, every key and value checked. Paths in the config are resolved against the config file's folder.
 *
 * <pre>{@code
 * BtwConfig config = BtwConfig.load(Path.of("diabetes.yaml"), List.of("train.epochs=5"));
 * int epochs = config.train().epochs();
 * }</pre>
 */
public final class BtwConfig {

    private final Map<String, Object> tree;
    private final Path baseDir;
    private final String source;

    private BtwConfig(Map<String, Object> tree, Path baseDir, String source) {
        this.tree = tree;
        this.baseDir = baseDir;
        this.source = source;
        ConfigValidator.validate(this);
    }

    /**
     * Reads a config file.
     *
     * @param file the YAML file
     * @param overrides {@code key.path=value} strings applied before validation
     * @return the resolved config
     * @throws BtwException when the file is missing or unreadable, or a key or value is wrong
     */
    public static BtwConfig load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BtwException("config file not found: " + file);
        } catch (IOException e) {
            throw new BtwException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, file.toString(), overrides);
    }

    /**
     * Reads a config from YAML text.
     *
     * @param yaml the YAML text
     * @param baseDir the folder relative paths are resolved against
     * @param source the name used in error messages
     * @param overrides {@code key.path=value} strings applied before validation
     * @return the resolved config
     */
    public static BtwConfig parse(String yaml, Path baseDir, String source, List<String> overrides) {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (MarkedYAMLException e) {
            // line and column of the problem (1-based), and what the parser expected there
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new BtwException(
                    source + where + ": not valid YAML at line "
                            + (mark == null ? "?" : (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
                            + ": " + what + context,
                    e);
        } catch (YAMLException e) {
            throw new BtwException(source + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        Map<String, Object> user;
        if (loaded == null) {
            user = new LinkedHashMap<>();
        } else if (loaded instanceof Map) {
            user = toStringKeys((Map<?, ?>) loaded);
        } else {
            throw new BtwException(source + ": a config must be a YAML map of sections");
        }
        ConfigOverrides.apply(user, overrides);
        Map<String, Object> tree = new ConfigMerger(source).merge(ConfigDefaults.root(), user);
        return new BtwConfig(tree, baseDir, source);
    }

    /**
     * Checks the form of overrides without a config, so that a caller can name where they came from.
     *
     * @param overrides {@code key.path=value} strings
     * @throws BtwException naming the first one that is not of that form ({@code config override 'x': ...})
     */
    public static void checkOverrides(List<String> overrides) {
        ConfigOverrides.check(overrides);
    }

    /**
     * A config of defaults only, plus overrides: useful for benchmarks and tests.
     *
     * @param overrides {@code key.path=value} strings
     * @return the config
     */
    public static BtwConfig defaults(List<String> overrides) {
        return parse("{}", Path.of("."), "defaults", overrides);
    }

    /** @return the task */
    public Task task() {
        return Task.parse(string("task"));
    }

    /** @return the class names given in the config, empty when they are to be inferred from train labels */
    @SuppressWarnings("unchecked")
    public List<String> classes() {
        return Collections.unmodifiableList((List<String>) tree.get("classes"));
    }

    /** @return the data section */
    public DataConfig data() {
        Map<String, Object> d = section("data");
        return new DataConfig(
                resolve((String) d.get("manifest")), (String) d.get("label"), (String) d.get("id"), (String)
                        d.get("split"));
    }

    /** @return the modalities in config order, keyed by name */
    @SuppressWarnings("unchecked")
    public Map<String, ModalityConfig> modalities() {
        Map<String, ModalityConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : section("modalities").entrySet()) {
            out.put(e.getKey(), ModalityConfig.of(e.getKey(), (Map<String, Object>) e.getValue()));
        }
        return out;
    }

    /** @return the fusion model section */
    public ModelConfig model() {
        return ModelConfig.of(section("model"));
    }

    /** @return the BTW weighting section */
    public BtwSettings btw() {
        return BtwSettings.of(section("btw"));
    }

    /** @return the training section */
    public TrainConfig train() {
        return TrainConfig.of(section("train"));
    }

    /** @return the encoding section */
    public EncodeConfig encode() {
        Map<String, Object> e = section("encode");
        return new EncodeConfig(
                (Integer) e.get("batch"), resolve((String) e.get("store")), (Integer) e.get("threads"), (String)
                        e.get("device"));
    }

    /** @return the folder relative paths are resolved against (the config file's folder) */
    public Path baseDir() {
        return baseDir;
    }

    /** @return the file name or label used in error messages */
    public String source() {
        return source;
    }

    /**
     * Resolves a path written in the config against the config's folder.
     *
     * @param path a path as written
     * @return the resolved path
     */
    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /**
     * The resolved config (defaults filled in) as YAML, for the run directory. Paths ({@code data.manifest},
     * {@code encode.store}) are written resolved to absolute paths, so that the copy in a run directory still
     * points at the data it was trained on.
     *
     * @return the YAML text
     */
    @SuppressWarnings("unchecked")
    public String toYaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        Map<String, Object> copy = new LinkedHashMap<>(tree);
        Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) tree.get("data"));
        data.put(
                "manifest",
                resolve((String) data.get("manifest")).toAbsolutePath().toString());
        copy.put("data", data);
        Map<String, Object> encode = new LinkedHashMap<>((Map<String, Object>) tree.get("encode"));
        encode.put(
                "store", resolve((String) encode.get("store")).toAbsolutePath().toString());
        copy.put("encode", encode);
        Map<String, Object> modalities = new LinkedHashMap<>((Map<String, Object>) tree.get("modalities"));
        for (Map.Entry<String, Object> e : modalities.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) e.getValue());
            for (String key : List.of("matrix", "matrix_ids")) {
                if (m.get(key) != null) {
                    m.put(key, resolve((String) m.get(key)).toAbsolutePath().toString());
                }
            }
            e.setValue(m);
        }
        copy.put("modalities", modalities);
        return new Yaml(options).dump(copy);
    }

    /** @return the resolved tree, read-only */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(tree);
    }

    String string(String key) {
        return (String) tree.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String key) {
        return (Map<String, Object>) tree.get(key);
    }

    private static Map<String, Object> toStringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            out.put(String.valueOf(e.getKey()), v instanceof Map ? toStringKeys((Map<?, ?>) v) : v);
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package dev.btw.core.config;

import dev.btw.core.BtwException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks the values of a merged config: enumerations, ranges, and modality settings that go together. */
final class ConfigValidator {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:[0-9]{1,4}");

    private ConfigValidator() {}

    static void validate(BtwConfig c) {
        String src = c.source();
        Map<String, Object> tree = c.asMap();
        for (ConfigKey k : ConfigKey.values()) {
            if (!k.isModalityKey()) {
                check(src, k.path(), k, valueAt(tree, k.path()));
            }
        }
        ModelConfig m = c.model();
        if (m.topK() > m.experts()) {
            throw new BtwException(src + ": config key 'model.top_k' must be between 1 and model.experts ("
                    + m.experts() + "), got " + m.topK());
        }
        BtwSettings b = c.btw();
        if (b.foldGroup() != null && b.foldGroup().isBlank()) {
            throw new BtwException(src + ": config key 'btw.fold_group' must name a manifest column, got ''");
        }
        if (c.train().seeds().isEmpty()) {
            throw new BtwException(src + ": config key 'train.seeds' needs at least one seed");
        }
        for (ModalityConfig mod : c.modalities().values()) {
            validateModality(src, mod, tree);
        }
    }

    /** Checks one value against what its key accepts (the key list's spellings, ranges and devices). */
    private static void check(String src, String path, ConfigKey key, Object value) {
        if (value == null) {
            return;
        }
        ConfigKey.Values v = key.accepts();
        switch (v.kind()) {
            case ANY -> {}
            case ONE_OF -> oneOf(src, path, String.valueOf(value), v.allowed());
            case DEVICE -> device(src, path, (String) value);
            case RANGE -> {
                double x = ((Number) value).doubleValue();
                if (v.min() == 1 && v.max() == Integer.MAX_VALUE) {
                    positive(src, path, (int) x);
                } else {
                    range(src, path, x, v.min(), v.max());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object valueAt(Map<String, Object> tree, String path) {
        Object node = tree;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(part);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void validateModality(String src, ModalityConfig mod, Map<String, Object> tree) {
        String key = "modalities." + mod.name();
        if (mod.encoder() == null || mod.encoder().isBlank()) {
            throw new BtwException(src + ": config key '" + key + ".encoder' is required (a spec name under "
                    + "models/, a spec folder, 'columns' or 'vectors')");
        }
        Map<String, Object> entry =
                (Map<String, Object>) ((Map<String, Object>) tree.get("modalities")).get(mod.name());
        for (ConfigKey k : ConfigKey.values()) {
            if (k.isModalityKey()) {
                String name = k.path().substring(ConfigKey.MODALITY_PREFIX.length());
                check(src, key + "." + name, k, entry == null ? null : entry.get(name));
            }
        }
        if (mod.fineTune() && (mod.isTabular() || "vectors".equals(mod.encoder()))) {
            throw new BtwException(src + ": config key '" + key + ".fine_tune' needs an encoder with parameters (a "
                    + "TorchScript spec); encoder '" + mod.encoder() + "' has none to train. Set fine_tune: false");
        }
        if (mod.matrixIds() != null && mod.matrix() == null) {
            throw new BtwException(src + ": config key '" + key + ".matrix_ids' needs '" + key + ".matrix'");
        }
        if (mod.isMatrix()) {
            if (!"vectors".equals(mod.encoder())) {
                throw new BtwException(
                        src + ": config key '" + key + ".matrix' needs encoder 'vectors', got '" + mod.encoder() + "'");
            }
            if (mod.column() != null) {
                throw new BtwException(src + ": config key '" + key + "' needs exactly one of 'column' (vectors in "
                        + "the manifest) or 'matrix' (one .npy file)");
            }
        } else if (mod.isTabular()) {
            if (mod.columns().isEmpty() == (mod.pattern() == null)) {
                throw new BtwException(src + ": config key '" + key
                        + "' needs exactly one of 'columns' (a list) or 'pattern' (a regex) for encoder 'columns'");
            }
            if (mod.pattern() != null) {
                try {
                    Pattern.compile(mod.pattern());
                } catch (PatternSyntaxException ex) {
                    throw new BtwException(
                            src + ": config key '" + key + ".pattern' is not a valid regex: " + ex.getDescription());
                }
            }
        } else if (mod.column() == null) {
            throw new BtwException(src + ": config key '" + key + ".column' is required for encoder '"
                    + mod.encoder() + "' (the manifest column holding the input"
                    + ("vectors".equals(mod.encoder()) ? "; or 'matrix', one .npy file of every vector)" : ")"));
        }
    }

    private static void oneOf(String src, String key, String value, Collection<String> allowed) {
        if (!allowed.contains(value)) {
            throw new BtwException(src + ": config key '" + key + "' must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + "; got '" + value + "'");
        }
    }

    private static void device(String src, String key, String value) {
        if (value == null || !DEVICE.matcher(value).matches()) {
            throw new BtwException(src + ": config key '" + key + "' must be auto, cpu, gpu or gpu:N (N a GPU index "
                    + "from 0); got '" + value + "'");
        }
    }

    private static void positive(String src, String key, int value) {
        if (value < 1) {
            throw new BtwException(src + ": config key '" + key + "' must be at least 1, got " + value);
        }
    }

    private static void range(String src, String key, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new BtwException(
                    src + ": config key '" + key + "' must be between " + lo + " and " + hi + ", got " + value);
        }
    }
}

package dev.btw.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default value of every configuration key, from the one key list {@link ConfigKey}. The type of each
 * default is the type a user value must have (a number where a number is expected, a list where a list is).
 * {@code null} marks keys that have no default value but accept a string. The {@code modalities} section maps
 * user-chosen names to {@link #modality()} trees.
 */
public final class ConfigDefaults {

    /**
     * The defaults of the {@code model} section: the one source of the MoE fusion model's default sizes (btw-djl's
     * {@code MoeFusionSpec.Builder} reads them from here).
     */
    public static final ModelConfig MODEL = ModelConfig.of(section(root(), "model"));

    /**
     * The defaults of the {@code btw} section: the one source of the weighting defaults (btw-djl's
     * {@code BtwTrainingListener}'s builder starts from them).
     */
    public static final BtwSettings BTW = BtwSettings.of(section(root(), "btw"));

    private ConfigDefaults() {}

    /** @return a fresh, mutable tree holding every top-level key and its default */
    public static Map<String, Object> root() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (!k.isModalityKey()) {
                put(root, k.path(), k.defaultValue());
            }
        }
        return root;
    }

    /** @return the keys one entry of {@code modalities} may hold, with their defaults */
    public static Map<String, Object> modality() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.isModalityKey()) {
                put(m, k.path().substring(ConfigKey.MODALITY_PREFIX.length()), k.defaultValue());
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.put(path, value);
            return;
        }
        Map<String, Object> child =
                (Map<String, Object>) tree.computeIfAbsent(path.substring(0, dot), x -> new LinkedHashMap<>());
        put(child, path.substring(dot + 1), value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String name) {
        return (Map<String, Object>) root.get(name);
    }
}

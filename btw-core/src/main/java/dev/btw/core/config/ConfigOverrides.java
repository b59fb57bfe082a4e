package dev.btw.core.config;

import dev.btw.core.BtwException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Applies {@code key.path=value} overrides to a user's YAML tree before it is merged with
 * the defaults, so overrides are validated like any other key. The value is read as a YAML scalar or flow
 * collection: {@code train.seeds=[1,2,3]}, {@code btw.rule=exp(-kl)*mi}.
 */
final class ConfigOverrides {

    private ConfigOverrides() {}

    /**
     * @param overrides {@code key.path=value} strings
     * @throws BtwException naming the first one that is not of that form
     */
    static void check(List<String> overrides) {
        for (String override : overrides) {
            if (override.indexOf('=') <= 0) {
                throw new BtwException("config override '" + override + "': expected key.path=value");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> tree, List<String> overrides) {
        check(overrides);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            String key = override.substring(0, eq).trim();
            String raw = override.substring(eq + 1);
            Object value;
            try {
                value = raw.isEmpty() ? null : new Yaml().load(raw);
            } catch (YAMLException e) {
                value = raw;
            }
            if (value instanceof String && raw.contains("*")) {
                value = raw; // rule names such as kl*mi read as aliases otherwise
            }
            String[] parts = key.split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                Object child = node.get(parts[i]);
                if (!(child instanceof Map)) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(parts[i], child);
                }
                node = (Map<String, Object>) child;
            }
            node.put(parts[parts.length - 1], value);
        }
    }
}

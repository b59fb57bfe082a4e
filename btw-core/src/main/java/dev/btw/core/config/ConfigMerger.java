package dev.btw.core.config;

import dev.btw.core.BtwException;
import dev.btw.core.io.PathNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a user's YAML tree over {@link ConfigDefaults}: every user key must exist in the defaults (or be a
 * modality name under {@code modalities}), and its value must have the default's type. Errors name the full
 * dotted key and the config source.
 */
final class ConfigMerger {

    private final String source;

    ConfigMerger(String source) {
        this.source = source;
    }

    Map<String, Object> merge(Map<String, Object> defaults, Map<?, ?> user) {
        mergeInto(defaults, user, "");
        return defaults;
    }

    @SuppressWarnings("unchecked")
    private void mergeInto(Map<String, Object> target, Map<?, ?> user, String prefix) {
        for (Map.Entry<?, ?> e : user.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = prefix + key;
            if (prefix.isEmpty() && key.equals("modalities")) {
                target.put(key, mergeModalities(e.getValue(), path));
                continue;
            }
            if (!target.containsKey(key)) {
                throw new BtwException(source + ": unknown config key '" + path + "'"
                        + (target.isEmpty() ? "" : " (known here: " + String.join(", ", target.keySet()) + ")"));
            }
            Object def = target.get(key);
            Object value = e.getValue();
            if (def instanceof Map) {
                if (!(value instanceof Map)) {
                    throw new BtwException(
                            source + ": config key '" + path + "' must be a section (a map), got " + describe(value));
                }
                mergeInto((Map<String, Object>) def, (Map<?, ?>) value, path + ".");
            } else {
                target.put(key, coerce(def, value, path));
            }
        }
    }

    private Map<String, Object> mergeModalities(Object value, String path) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map)) {
            throw new BtwException(source + ": config key '" + path + "' must map modality names to settings");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            String name = String.valueOf(m.getKey());
            String problem = PathNames.problem(name);
            if (problem != null) {
                // a modality names folders (the feature store's, the run directory's references): one rule for all
                throw new BtwException(source + ": modality name '" + name + "' cannot be used: " + problem
                        + " (a modality names folders of the feature store and the run directory)");
            }
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new BtwException(
                        source + ": modality name '" + name + "' may only hold letters, digits, '_', '-' and '.'");
            }
            if (!(m.getValue() instanceof Map)) {
                throw new BtwException(source + ": config key '" + path + "." + name
                        + "' must be a section such as { encoder: columns, columns: [a, b] }");
            }
            Map<String, Object> settings = ConfigDefaults.modality();
            mergeInto(settings, (Map<?, ?>) m.getValue(), path + "." + name + ".");
            out.put(name, settings);
        }
        return out;
    }

    /** Checks that {@code value} fits the type of {@code def}, converting integers to doubles where needed. */
    Object coerce(Object def, Object value, String path) {
        if (value == null) {
            if (def == null) {
                return null;
            }
            throw new BtwException(source + ": config key '" + path + "' needs a value");
        }
        if (def == null || def instanceof String) {
            if (value instanceof Map || value instanceof List) {
                throw new BtwException(source + ": config key '" + path + "' must be a string, got " + describe(value));
            }
            return String.valueOf(value);
        }
        if (def instanceof Boolean) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new BtwException(
                    source + ": config key '" + path + "' must be true or false, got " + describe(value));
        }
        if (def instanceof Integer) {
            if (value instanceof Integer || value instanceof Long) {
                return ((Number) value).intValue();
            }
            throw new BtwException(
                    source + ": config key '" + path + "' must be a whole number, got " + describe(value));
        }
        if (def instanceof Double) {
            Double d = asDouble(value);
            if (d == null || d.isNaN() || d.isInfinite()) {
                throw new BtwException(
                        source + ": config key '" + path + "' must be a finite number, got " + describe(value));
            }
            return d;
        }
        if (def instanceof List) {
            List<Object> items = new ArrayList<>();
            List<?> defList = (List<?>) def;
            Object element = defList.isEmpty() ? "" : defList.get(0);
            if (value instanceof List) {
                for (Object v : (List<?>) value) {
                    items.add(coerce(element, v, path));
                }
            } else {
                items.add(coerce(element, value, path));
            }
            return items;
        }
        throw new IllegalStateException("no coercion for default of " + path);
    }

    private static Double asDouble(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            try {
                return Double.parseDouble(((String) value).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "a section";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }
}

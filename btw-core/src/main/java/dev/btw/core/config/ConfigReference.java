package dev.btw.core.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration reference as Markdown, generated from {@link ConfigKey}: one table row per key with its
 * default, the values it accepts and what it means. {@code docs/CONFIG.md} holds it between the markers
 * {@link #BEGIN} and {@link #END}, and a test fails when the page and the key list disagree.
 */
public final class ConfigReference {

    /** The line before the generated table. */
    public static final String BEGIN = "<!-- generated from ConfigKey: begin -->";

    /** The line after the generated table. */
    public static final String END = "<!-- generated from ConfigKey: end -->";

    private ConfigReference() {}

    /** @return the table, without the markers, ending with a newline */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| key | default | accepts | what |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (ConfigKey k : ConfigKey.values()) {
            out.append("| `")
                    .append(k.path())
                    .append("` | ")
                    .append(shown(k.defaultValue()))
                    .append(" | ")
                    .append(cell(k.accepts().describe()))
                    .append(" | ")
                    .append(cell(k.meaning()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String shown(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof List<?> list) {
            return "`[" + list.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]`";
        }
        if (value instanceof Map<?, ?>) {
            return "`{}`";
        }
        return "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}

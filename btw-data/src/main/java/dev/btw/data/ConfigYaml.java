package dev.btw.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the btw config YAML a recipe leaves beside its manifest: the task, the classes, the data section and
 * the modalities; every other key keeps its default.
 */
public final class ConfigYaml {

    private final StringBuilder head = new StringBuilder();
    private final StringBuilder modalities = new StringBuilder();
    private final String task;
    private List<String> classes = List.of();
    private String foldGroup;

    /**
     * @param task {@code classification} or {@code regression}
     * @param comment lines to put at the top as comments
     */
    public ConfigYaml(String task, String... comment) {
        this.task = task;
        for (String c : comment) {
            head.append("# ").append(c).append('\n');
        }
    }

    /**
     * @param names the class labels, in the order predictions list them
     * @return this
     */
    public ConfigYaml classes(List<String> names) {
        this.classes = List.copyOf(names);
        return this;
    }

    /**
     * Adds a modality read by an encoder from one manifest column.
     *
     * @param name the modality's name
     * @param encoder the encoder spec name
     * @param column the manifest column
     * @return this
     */
    public ConfigYaml encoded(String name, String encoder, String column) {
        modalities
                .append("  ")
                .append(name)
                .append(":\n")
                .append("    encoder: ")
                .append(quote(encoder))
                .append('\n')
                .append("    column: ")
                .append(quote(column))
                .append('\n');
        return this;
    }

    /**
     * Adds a tabular modality over numeric manifest columns.
     *
     * @param name the modality's name
     * @param columns the columns, in order
     * @return this
     */
    public ConfigYaml tabular(String name, List<String> columns) {
        modalities
                .append("  ")
                .append(name)
                .append(":\n")
                .append("    encoder: columns\n")
                .append("    columns: [")
                .append(columns.stream().map(ConfigYaml::quote).collect(Collectors.joining(", ")))
                .append("]\n");
        return this;
    }

    /**
     * Sets {@code btw.fold_group}: the split keeps the groups of this column apart, so out-of-fold references
     * must too.
     *
     * @param column the manifest column holding the group
     * @return this
     */
    public ConfigYaml foldGroup(String column) {
        this.foldGroup = column;
        return this;
    }

    /** @return the YAML text */
    public String text() {
        StringBuilder sb = new StringBuilder(head);
        sb.append("task: ").append(task).append('\n');
        if (!classes.isEmpty()) {
            sb.append("classes: [")
                    .append(classes.stream().map(ConfigYaml::quote).collect(Collectors.joining(", ")))
                    .append("]\n");
        }
        sb.append("data:\n")
                .append("  manifest: ")
                .append(PackageRecipe.MANIFEST)
                .append('\n')
                .append("  label: label\n")
                .append("modalities:\n")
                .append(modalities);
        if (foldGroup != null) {
            sb.append("btw:\n  fold_group: ").append(quote(foldGroup)).append('\n');
        }
        return sb.toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

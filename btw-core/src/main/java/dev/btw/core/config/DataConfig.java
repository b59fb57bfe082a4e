package dev.btw.core.config;

import java.nio.file.Path;

/**
 * The {@code data} section: where the manifest is and which of its columns hold the label, the instance id and
 * the split.
 *
 * @param manifest the manifest CSV, resolved against the config's folder
 * @param label the label column
 * @param id the instance-id column
 * @param split the split column ({@code train}, {@code val} or {@code test})
 */
public record DataConfig(Path manifest, String label, String id, String split) {}

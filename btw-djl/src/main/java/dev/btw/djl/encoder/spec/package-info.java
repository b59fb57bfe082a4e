/**
 * Encoder specifications: one folder per encoder under {@code models/}, holding a {@code spec.yaml} that says
 * which engine runs it, where its files come from (with SHA-256), its inputs, preprocessing, pooling, output
 * dimension and licence. A user adds an ONNX or TorchScript encoder by writing such a folder; no Java needed.
 */
package dev.btw.djl.encoder.spec;

/**
 * Serving exported fusion models with ONNX Runtime alone (no PyTorch): {@link dev.btw.djl.serve.FusionModelInfo}
 * reads btw's metadata from an exported file, {@link dev.btw.djl.serve.FusionTranslator} is the DJL translator from
 * per-modality embeddings to predictions, and {@link dev.btw.djl.serve.FusionModels} loads a file as a DJL model.
 */
package dev.btw.djl.serve;

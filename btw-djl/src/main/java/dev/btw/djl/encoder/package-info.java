/**
 * Encoder adapters: an {@link dev.btw.djl.encoder.Encoder} turns manifest cells into one float vector per
 * instance. Model-backed encoders run ONNX files through DJL's OnnxRuntime engine and TorchScript files through
 * DJL's PyTorch engine; {@link dev.btw.djl.encoder.TabularEncoder} standardises numeric columns and
 * {@link dev.btw.djl.encoder.PrecomputedEncoder} reads vectors that were computed elsewhere. Build one from a spec
 * folder with {@link dev.btw.djl.encoder.Encoders}.
 */
package dev.btw.djl.encoder;

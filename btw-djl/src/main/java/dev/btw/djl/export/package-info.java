/**
 * Writing trained fusion models as ONNX graphs in pure Java, on the ONNX protobuf classes and graph context of
 * Tribuo's {@code tribuo-util-onnx}: {@link dev.btw.djl.export.OnnxOp} lists the operators used (opset 17),
 * {@link dev.btw.djl.export.OnnxGraph} builds layers from parameter arrays, and
 * {@link dev.btw.djl.export.OnnxModelFile} wraps a graph into a model file with metadata.
 */
package dev.btw.djl.export;

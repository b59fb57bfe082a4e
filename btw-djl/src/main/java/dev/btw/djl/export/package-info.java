/**
 * Writing trained fusion models as ONNX graphs in pure Java, on the ONNX protobuf classes and graph context of
 * Tribuo's {@code tribuo-util-onnx}: {@link dev.btw.djl.export.OnnxOp} lists the operators used (opset 17),
 * {@link dev.btw.djl.export.OnnxGraph} builds layers from parameter arrays, and
 * {@link dev.btw.djl.export.OnnxModelFile} wraps a graph into a model file with metadata. End-to-end files:
 * {@link dev.btw.djl.export.EndToEndPlan} decides which encoders merge, {@link dev.btw.djl.export.OnnxOpsetUpgrade}
 * brings their graphs to opset 17 and {@link dev.btw.djl.export.EndToEndMerge} joins them, with their pooling, in
 * front of the fusion graph.
 */
package dev.btw.djl.export;

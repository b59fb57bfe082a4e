/**
 * The MoE fusion model of docs/METHOD.md as DJL {@link ai.djl.nn.Block}s: per-modality projection scaled by the
 * BTW weights, fusion layers (local mixing, a sparse mixture of experts shared by all modalities with
 * per-modality Laplace or softmax gating, a feed-forward step), and the prediction head.
 *
 * <p>The entry point is {@link dev.btw.djl.model.MoeFusionBlock}, configured by a
 * {@link dev.btw.djl.model.MoeFusionSpec}. Parameter names are stable: the ONNX exporter reads them (see
 * {@code docs/MODEL.md}).
 */
package dev.btw.djl.model;

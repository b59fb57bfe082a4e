package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import dev.btw.djl.encoder.spec.Pooling;
import java.util.List;

/**
 * Writes an encoder spec's {@link Pooling} as ONNX nodes, computing in the graph what btw's Java side computes
 * after the encoder ({@code TokenPoolingTranslator.pool} for text, {@code OutputPooling.pool} otherwise), so that an
 * end-to-end graph yields the vectors the feature store holds.
 *
 * <p>Text pooling reads the attention mask. An instance whose mask is all zeros has no text: its pooled row is NaN,
 * which the fusion graph takes as a missing modality (the Java encoders never see a missing modality, so they have
 * no such case). Likewise an instance whose input tensor (an image) holds a NaN gets a NaN row: missing.
 */
final class EncoderPoolingGraph {

    private EncoderPoolingGraph() {}

    /**
     * Pools a text encoder's {@code [batch, tokens, width]} output over its attention mask.
     *
     * @param nodes where the nodes go
     * @param hidden the encoder output's name
     * @param mask the int64 {@code [batch, tokens]} attention mask input's name
     * @param pooling {@code mean} or {@code cls}
     * @param output the name of the {@code [batch, width]} result
     */
    static void text(OnnxNodes nodes, String hidden, String mask, Pooling pooling, String output) {
        String maskF = nodes.op(
                "Cast", List.of(OnnxNodes.intAttribute("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber())), mask);
        String count = nodes.op("ReduceSum", List.of(OnnxNodes.intAttribute("keepdims", 1)), maskF, nodes.longs(1));
        String pooled;
        if (pooling.type().equals("cls")) {
            pooled = nodes.op("Gather", List.of(OnnxNodes.intAttribute("axis", 1)), hidden, nodes.longScalar(0));
        } else if (pooling.type().equals("mean")) {
            String masked = nodes.op("Mul", hidden, nodes.op("Unsqueeze", maskF, nodes.longs(2)));
            String sum = nodes.op("ReduceSum", List.of(OnnxNodes.intAttribute("keepdims", 0)), masked, nodes.longs(1));
            pooled = nodes.op("Div", sum, count);
        } else {
            throw new IllegalArgumentException("text pooling must be mean or cls, got " + pooling);
        }
        String none = nodes.op("Equal", count, nodes.floatScalar(0f));
        nodes.opInto("Where", output, none, nodes.floatScalar(Float.NaN), pooled);
    }

    /**
     * Pools a non-text encoder output of shape {@code [batch, ..., width]}.
     *
     * @param nodes where the nodes go
     * @param out the encoder output's name
     * @param pooling the spec's pooling
     * @param input the encoder's float input, {@code [batch, ...]}: a NaN in an instance's slice marks it missing
     * @param output the name of the {@code [batch, dimension]} result
     */
    static void tensor(OnnxNodes nodes, String out, Pooling pooling, String input, String output) {
        String pooled;
        if (pooling.type().equals("none")) {
            pooled = nodes.op("Flatten", List.of(OnnxNodes.intAttribute("axis", 1)), out);
        } else {
            // [batch, steps, width]: every axis between the first and the last is time
            String steps = nodes.op("Reshape", out, stepShape(nodes, out));
            pooled = switch (pooling.type()) {
                case "mean" -> reduce(nodes, "ReduceMean", steps);
                case "cls" ->
                    nodes.op("Gather", List.of(OnnxNodes.intAttribute("axis", 1)), steps, nodes.longScalar(0));
                case "class-scores" -> {
                    long[] picked = new long[pooling.classes().length];
                    for (int i = 0; i < picked.length; i++) {
                        picked[i] = pooling.classes()[i];
                    }
                    String scores =
                            nodes.op("Gather", List.of(OnnxNodes.intAttribute("axis", 2)), steps, nodes.longs(picked));
                    yield nodes.op(
                            "Concat",
                            List.of(OnnxNodes.intAttribute("axis", 1)),
                            reduce(nodes, "ReduceMax", scores),
                            reduce(nodes, "ReduceMean", scores));
                }
                default -> throw new IllegalArgumentException("unknown pooling " + pooling);
            };
        }
        String flat = nodes.op("Flatten", List.of(OnnxNodes.intAttribute("axis", 1)), input);
        String nan = nodes.op(
                "IsNaN", nodes.op("ReduceSum", List.of(OnnxNodes.intAttribute("keepdims", 1)), flat, nodes.longs(1)));
        nodes.opInto("Where", output, nan, nodes.floatScalar(Float.NaN), pooled);
    }

    /** {@code [batch, -1, width]} from the output's own shape. */
    private static String stepShape(OnnxNodes nodes, String out) {
        String shape = nodes.op("Shape", out);
        String width = nodes.op("Slice", shape, nodes.longs(-1), nodes.longs(Long.MAX_VALUE));
        String batch = nodes.op("Slice", shape, nodes.longs(0), nodes.longs(1));
        return nodes.op("Concat", List.of(OnnxNodes.intAttribute("axis", 0)), batch, nodes.longs(-1), width);
    }

    private static String reduce(OnnxNodes nodes, String op, String steps) {
        return nodes.op(op, List.of(OnnxNodes.intsAttribute("axes", 1), OnnxNodes.intAttribute("keepdims", 0)), steps);
    }
}

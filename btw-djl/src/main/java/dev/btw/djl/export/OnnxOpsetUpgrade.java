package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rewrites the nodes of an encoder graph written at an older opset of the default ONNX domain (9 to 16) so that
 * they mean the same at opset {@value OnnxOp#OPSET}, the fusion graph's: one ONNX model has one opset per domain,
 * so an encoder graph can join the fusion graph only at its opset.
 *
 * <p>Written by hand because neither DJL, ONNX Runtime's Java API nor Tribuo ships an opset converter (ONNX's own
 * lives in its Python/C++ package). It covers the operators of the encoders btw ships and the common ones whose
 * meaning did not change; {@link #unsupported} names any other operator, so that a graph is never half upgraded.
 * The rewrites, with the opset that changed each operator:
 * <ul>
 *   <li>{@code Unsqueeze}, {@code Squeeze}, {@code ReduceSum} (13): the {@code axes} attribute becomes an input;</li>
 *   <li>{@code Clip} (11): the {@code min}/{@code max} attributes become inputs;</li>
 *   <li>{@code Slice} (10): {@code starts}/{@code ends}/{@code axes} attributes become inputs;</li>
 *   <li>{@code Softmax}, {@code LogSoftmax}, {@code Hardmax} (13): before 13 they flattened the input to 2-d at
 *       {@code axis} (default 1); kept when the axis is the last one (the same result), otherwise rewritten as
 *       {@code Flatten}, the operator on the last axis, and {@code Reshape} back to the input's shape.</li>
 * </ul>
 * Parity is tested by running the original and the upgraded graph in ONNX Runtime on the same inputs.
 */
public final class OnnxOpsetUpgrade {

    /** Operators whose meaning at opset 17 is that of every version since opset 9, for the inputs they take. */
    private static final Set<String> UNCHANGED = Set.of(
            "Abs",
            "Add",
            "And",
            "ArgMax",
            "ArgMin",
            "AveragePool",
            "BatchNormalization",
            "Cast",
            "Ceil",
            "Concat",
            "Constant",
            "ConstantOfShape",
            "Conv",
            "ConvTranspose",
            "DequantizeLinear",
            "Div",
            "DynamicQuantizeLinear",
            "Einsum",
            "Elu",
            "Equal",
            "Erf",
            "Exp",
            "Expand",
            "Flatten",
            "Floor",
            "Gather",
            "Gemm",
            "GlobalAveragePool",
            "GlobalMaxPool",
            "Greater",
            "HardSigmoid",
            "Identity",
            "InstanceNormalization",
            "LeakyRelu",
            "Less",
            "Log",
            "MatMul",
            "MatMulInteger",
            "Max",
            "MaxPool",
            "Mean",
            "Min",
            "Mul",
            "Neg",
            "Not",
            "Or",
            "PRelu",
            "Pow",
            "QuantizeLinear",
            "Range",
            "Reciprocal",
            "ReduceL2",
            "ReduceMax",
            "ReduceMean",
            "ReduceMin",
            "ReduceProd",
            "Relu",
            "Reshape",
            "Shape",
            "Sigmoid",
            "Sign",
            "Sin",
            "Cos",
            "Softplus",
            "Sqrt",
            "Sub",
            "Sum",
            "Tanh",
            "Tile",
            "Transpose",
            "Where");

    /** Rewritten operator to the first opset at which it takes its new form. */
    private static final Map<String, Integer> REWRITTEN = Map.of(
            "Unsqueeze",
            13,
            "Squeeze",
            13,
            "ReduceSum",
            13,
            "Clip",
            11,
            "Slice",
            10,
            "Softmax",
            13,
            "LogSoftmax",
            13,
            "Hardmax",
            13);

    private static final int OLDEST = 9;

    private final String prefix;
    private final OnnxNodes constants;
    private int counter;

    private OnnxOpsetUpgrade(String prefix) {
        this.prefix = prefix;
        this.constants = new OnnxNodes(prefix + "upgrade_");
    }

    /**
     * @param model a model
     * @return its opset of the default domain, or -1 when it imports none
     */
    public static int defaultOpset(OnnxMl.ModelProto model) {
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return -1;
    }

    /**
     * Lists what stops an upgrade: an opset before {@value #OLDEST}, an opset after the target, operators with no
     * rule, operators of other domains, subgraphs.
     *
     * @param model the encoder model
     * @return one phrase per problem, empty when {@link #upgrade} will succeed
     */
    public static List<String> unsupported(OnnxMl.ModelProto model) {
        List<String> problems = new ArrayList<>();
        int from = defaultOpset(model);
        if (from < OLDEST || from > OnnxOp.OPSET) {
            problems.add("opset " + from + " (btw upgrades opsets " + OLDEST + " to " + OnnxOp.OPSET + ")");
            return problems;
        }
        Set<String> unknown = new TreeSet<>();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!standard) {
                unknown.add(n.getDomain() + "." + n.getOpType());
            } else if (!UNCHANGED.contains(n.getOpType()) && !REWRITTEN.containsKey(n.getOpType())) {
                unknown.add(n.getOpType());
            }
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    unknown.add(n.getOpType() + " with a subgraph");
                }
            }
        }
        if (!unknown.isEmpty()) {
            problems.add(
                    "operators with no opset-" + from + "-to-" + OnnxOp.OPSET + " rule: " + String.join(", ", unknown));
        }
        return problems;
    }

    /**
     * Returns the graph with every node in its opset-{@value OnnxOp#OPSET} form. New constants are initialisers
     * named {@code <prefix>upgrade_...}.
     *
     * @param model the encoder model
     * @param prefix a prefix for new names that no name of the graph starts with
     * @return the upgraded graph (the model's own when it already is at the target opset)
     * @throws IllegalArgumentException when {@link #unsupported} is not empty
     */
    public static OnnxMl.GraphProto upgrade(OnnxMl.ModelProto model, String prefix) {
        List<String> problems = unsupported(model);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot upgrade graph '" + model.getGraph().getName() + "': " + String.join("; ", problems));
        }
        int from = defaultOpset(model);
        if (from == OnnxOp.OPSET) {
            return model.getGraph();
        }
        OnnxOpsetUpgrade u = new OnnxOpsetUpgrade(prefix);
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearNode();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            Integer changedAt = REWRITTEN.get(n.getOpType());
            if (changedAt == null || from >= changedAt) {
                g.addNode(n);
            } else {
                g.addAllNode(u.rewrite(n));
            }
        }
        g.addAllInitializer(u.constants.initializers());
        return g.build();
    }

    private List<OnnxMl.NodeProto> rewrite(OnnxMl.NodeProto n) {
        return switch (n.getOpType()) {
            case "Unsqueeze", "Squeeze", "ReduceSum" -> List.of(attributeToInput(n, "axes"));
            case "Clip" -> List.of(clip(n));
            case "Slice" -> List.of(slice(n));
            default -> lastAxisOperator(n);
        };
    }

    /** Moves an int-list attribute to the second input (absent attribute: no input, which means all axes). */
    private OnnxMl.NodeProto attributeToInput(OnnxMl.NodeProto n, String attribute) {
        OnnxMl.AttributeProto a = attribute(n, attribute);
        OnnxMl.NodeProto.Builder b = n.toBuilder().clearAttribute();
        n.getAttributeList().stream()
                .filter(x -> !x.getName().equals(attribute))
                .forEach(b::addAttribute);
        if (a != null) {
            b.addInput(longs(a.getIntsList()));
        }
        return b.build();
    }

    private OnnxMl.NodeProto clip(OnnxMl.NodeProto n) {
        OnnxMl.AttributeProto min = attribute(n, "min");
        OnnxMl.AttributeProto max = attribute(n, "max");
        OnnxMl.NodeProto.Builder b = n.toBuilder().clearAttribute();
        b.addInput(min == null ? "" : constants.floatScalar(min.getF()));
        b.addInput(max == null ? "" : constants.floatScalar(max.getF()));
        return b.build();
    }

    private OnnxMl.NodeProto slice(OnnxMl.NodeProto n) {
        OnnxMl.NodeProto.Builder b = n.toBuilder().clearAttribute();
        b.addInput(longs(attribute(n, "starts").getIntsList()));
        b.addInput(longs(attribute(n, "ends").getIntsList()));
        OnnxMl.AttributeProto axes = attribute(n, "axes");
        if (axes != null) {
            b.addInput(longs(axes.getIntsList()));
        }
        return b.build();
    }

    /** Softmax-like operators: kept on the last axis; otherwise the pre-13 2-d coercion written out. */
    private List<OnnxMl.NodeProto> lastAxisOperator(OnnxMl.NodeProto n) {
        OnnxMl.AttributeProto a = attribute(n, "axis");
        long axis = a == null ? 1 : a.getI();
        if (axis == -1) {
            return List.of(n);
        }
        String id = prefix + "upgrade_axis" + (counter++);
        String x = n.getInput(0);
        OnnxMl.NodeProto shape = OnnxMl.NodeProto.newBuilder()
                .setOpType("Shape")
                .setName(id + "_shape")
                .addInput(x)
                .addOutput(id + "_shape")
                .build();
        OnnxMl.NodeProto flatten = OnnxMl.NodeProto.newBuilder()
                .setOpType("Flatten")
                .setName(id + "_flatten")
                .addInput(x)
                .addOutput(id + "_flat")
                .addAttribute(OnnxNodes.intAttribute("axis", axis))
                .build();
        OnnxMl.NodeProto op = OnnxMl.NodeProto.newBuilder()
                .setOpType(n.getOpType())
                .setName(id + "_op")
                .addInput(id + "_flat")
                .addOutput(id + "_out")
                .addAttribute(OnnxNodes.intAttribute("axis", -1))
                .build();
        OnnxMl.NodeProto back = OnnxMl.NodeProto.newBuilder()
                .setOpType("Reshape")
                .setName(n.getName())
                .addInput(id + "_out")
                .addInput(id + "_shape")
                .addOutput(n.getOutput(0))
                .build();
        return List.of(shape, flatten, op, back);
    }

    private String longs(List<Long> values) {
        return constants.longs(values.stream().mapToLong(Long::longValue).toArray());
    }

    private static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}

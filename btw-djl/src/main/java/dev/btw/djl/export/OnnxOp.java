package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators btw's exporter emits, all at opset {@value #OPSET} of the default domain. Tribuo's own
 * {@code ONNXOperators} covers linear models only, so the neural-network operators are declared here in the same
 * form, which lets Tribuo's {@code ONNXContext} build and check the nodes.
 */
public enum OnnxOp implements ONNXOperator {
    /** Matrix product. */
    MAT_MUL("MatMul", 2),
    /** General matrix product with bias: {@code alpha * A' B' + beta * C}. */
    GEMM(
            "Gemm",
            2,
            1,
            attr("alpha", AttributeType.FLOAT),
            attr("beta", AttributeType.FLOAT),
            attr("transA", AttributeType.INT),
            attr("transB", AttributeType.INT)),
    /** Element-wise sum with broadcasting. */
    ADD("Add", 2),
    /** Element-wise difference with broadcasting. */
    SUB("Sub", 2),
    /** Element-wise product with broadcasting. */
    MUL("Mul", 2),
    /** Element-wise quotient with broadcasting. */
    DIV("Div", 2),
    /** Element-wise maximum of two tensors. */
    MAX("Max", 2),
    /** max(x, 0). */
    RELU("Relu", 1),
    /** Hyperbolic tangent. */
    TANH("Tanh", 1),
    /** The error function, for exact GELU. */
    ERF("Erf", 1),
    /** Element-wise exponential. */
    EXP("Exp", 1),
    /** Element-wise natural logarithm. */
    LOG("Log", 1),
    /** Element-wise square root. */
    SQRT("Sqrt", 1),
    /** Element-wise negation. */
    NEG("Neg", 1),
    /** Element-wise absolute value. */
    ABS("Abs", 1),
    /** Softmax along an axis. */
    SOFTMAX("Softmax", 1, attr("axis", AttributeType.INT)),
    /** Layer normalisation over the trailing axes from {@code axis}. */
    LAYER_NORM("LayerNormalization", 2, 1, attr("axis", AttributeType.INT), attr("epsilon", AttributeType.FLOAT)),
    /** N-d convolution. */
    CONV(
            "Conv",
            2,
            1,
            attr("pads", AttributeType.INTS),
            attr("kernel_shape", AttributeType.INTS),
            attr("strides", AttributeType.INTS),
            attr("dilations", AttributeType.INTS),
            attr("group", AttributeType.INT)),
    /** The k largest values and their indices along an axis; k is an input. */
    TOP_K(
            "TopK",
            2,
            0,
            2,
            attr("axis", AttributeType.INT),
            attr("largest", AttributeType.INT),
            attr("sorted", AttributeType.INT)),
    /** Writes updates into a copy of the data at the given indices along an axis. */
    SCATTER_ELEMENTS("ScatterElements", 3, attr("axis", AttributeType.INT)),
    /** Sum over the axes given as an input. */
    REDUCE_SUM("ReduceSum", 1, 1, attr("keepdims", AttributeType.INT)),
    /** Maximum over the given axes (axes as an attribute at this opset). */
    REDUCE_MAX("ReduceMax", 1, attr("axes", AttributeType.INTS), attr("keepdims", AttributeType.INT)),
    /** Square root of the sum of squares over the given axes (axes as an attribute at this opset). */
    REDUCE_L2("ReduceL2", 1, attr("axes", AttributeType.INTS), attr("keepdims", AttributeType.INT)),
    /** Joins tensors along an axis. */
    CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, attr("axis", AttributeType.INT)),
    /** A slice given by starts, ends and axes inputs. */
    SLICE("Slice", 3, 2),
    /** Inserts size-1 axes given as an input. */
    UNSQUEEZE("Unsqueeze", 2),
    /** Removes size-1 axes given as an input. */
    SQUEEZE("Squeeze", 1, 1),
    /** Reshapes to a shape given as an input. */
    RESHAPE("Reshape", 2),
    /** Permutes axes. */
    TRANSPOSE("Transpose", 1, attr("perm", AttributeType.INTS)),
    /** Element-wise choice between two tensors. */
    WHERE("Where", 3),
    /** Element-wise equality, giving booleans. */
    EQUAL("Equal", 2),
    /** Converts the element type. */
    CAST("Cast", 1, attr("to", AttributeType.INT)),
    /** A copy under another name. */
    IDENTITY("Identity", 1),
    /** A tensor of a shape given as an input, filled with a value. */
    CONSTANT_OF_SHAPE("ConstantOfShape", 1, attr("value", AttributeType.TENSOR)),
    /** The shape of a tensor, as int64. */
    SHAPE("Shape", 1),
    /** Broadcasts a tensor to a shape. */
    EXPAND("Expand", 2),
    /** Gathers slices along an axis. */
    GATHER("Gather", 2, attr("axis", AttributeType.INT)),
    /** Gathers single elements along an axis, indices shaped like the output. */
    GATHER_ELEMENTS("GatherElements", 2, attr("axis", AttributeType.INT)),
    /** Log of softmax along an axis. */
    LOG_SOFTMAX("LogSoftmax", 1, attr("axis", AttributeType.INT)),
    /** log(sum(exp(x))) over the given axes (axes as an attribute at this opset). */
    REDUCE_LOG_SUM_EXP("ReduceLogSumExp", 1, attr("axes", AttributeType.INTS), attr("keepdims", AttributeType.INT)),
    /** Element-wise test for NaN. */
    IS_NAN("IsNaN", 1),
    /** Element-wise logical negation. */
    NOT("Not", 1),
    /** Indices of the non-zero elements, {@code [rank, count]}. */
    NON_ZERO("NonZero", 1),
    /** Writes slices of updates into a copy of the data at index tuples. */
    SCATTER_ND("ScatterND", 3);

    /** The opset version of every operator here. */
    public static final int OPSET = 17;

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxOp(String opName, int numInputs, ONNXAttribute... attributes) {
        this(opName, numInputs, 0, 1, attributes);
    }

    OnnxOp(String opName, int numInputs, int numOptionalInputs, ONNXAttribute... attributes) {
        this(opName, numInputs, numOptionalInputs, 1, attributes);
    }

    OnnxOp(String opName, int numInputs, int numOptionalInputs, int numOutputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        Map<String, ONNXAttribute> map = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            map.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(map);
    }

    private static ONNXAttribute attr(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return new HashSet<>();
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    @Override
    public String getOpDomain() {
        return "";
    }
}

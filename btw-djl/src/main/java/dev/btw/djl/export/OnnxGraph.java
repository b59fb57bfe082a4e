package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds an ONNX graph from layers whose parameters are plain float arrays in DJL's layouts (a Linear weight is
 * {@code [out, in]}, a Conv1d weight {@code [out, in, kernel]}). Every helper returns the reference of its
 * output so layers compose like the Blocks they mirror.
 */
public final class OnnxGraph {

    private final ONNXContext context = new ONNXContext();
    private final List<ONNXPlaceholder> inputs = new ArrayList<>();
    private final List<ONNXPlaceholder> outputs = new ArrayList<>();

    /** @return Tribuo's context, for operations not wrapped here */
    public ONNXContext context() {
        return context;
    }

    /**
     * Declares a float input of shape {@code [batch, dim]} with a dynamic batch axis.
     *
     * @param name the input's name
     * @param dim the feature dimension
     * @return its reference
     */
    public ONNXPlaceholder input(String name, int dim) {
        ONNXPlaceholder p = context.floatInput(name, dim);
        inputs.add(p);
        return p;
    }

    /**
     * Declares a float output of shape {@code [batch, dim]} and binds {@code value} to it.
     *
     * @param value the tensor to output
     * @param name the output's name
     * @param dim the feature dimension
     * @return the output reference
     */
    public ONNXPlaceholder output(ONNXRef<?> value, String name, int dim) {
        ONNXPlaceholder out = context.floatOutput(name, dim);
        outputs.add(out);
        value.apply(OnnxOp.IDENTITY).assignTo(out);
        return out;
    }

    /**
     * A float tensor constant.
     *
     * @param name a base name (made unique)
     * @param data row-major values
     * @param shape its shape
     * @return its reference
     */
    public ONNXInitializer tensor(String name, float[] data, int... shape) {
        long size = 1;
        List<Integer> dims = new ArrayList<>();
        for (int d : shape) {
            size *= d;
            dims.add(d);
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    name + ": " + data.length + " values do not fill shape " + Arrays.toString(shape));
        }
        return context.floatTensor(name, dims, fb -> fb.put(data));
    }

    /**
     * @param name a base name
     * @param value the value
     * @return a float scalar constant
     */
    public ONNXInitializer scalar(String name, float value) {
        return context.constant(name, value);
    }

    /**
     * @param name a base name
     * @param values the values
     * @return a 1-d int64 constant (for axes, shapes, slice bounds, k)
     */
    public ONNXInitializer longs(String name, long... values) {
        return context.array(name, values);
    }

    /**
     * Applies an operator to several inputs.
     *
     * @param op the operator
     * @param inputs its inputs in order
     * @param attributes its attributes (may be empty)
     * @return its single output
     */
    public ONNXNode op(OnnxOp op, List<? extends ONNXRef<?>> inputs, Map<String, Object> attributes) {
        // sorted, so that a node's attribute order (and the file's bytes) does not depend on Map.of's per-run order
        return context.operation(op, inputs, op.getOpName().toLowerCase(Locale.ROOT), new TreeMap<>(attributes));
    }

    /**
     * @param op the operator
     * @param inputs its inputs in order
     * @return its single output
     */
    public ONNXNode op(OnnxOp op, ONNXRef<?>... inputs) {
        return op(op, List.of(inputs), Map.of());
    }

    /**
     * A DJL Linear layer: {@code x W^T + b} over the last axis, for inputs of any rank.
     *
     * @param x the input, last axis {@code in}
     * @param name a base name for the parameters
     * @param weight {@code [out, in]} row-major
     * @param bias {@code [out]}, or {@code null}
     * @param out output features
     * @param in input features
     * @return the output reference
     */
    public ONNXRef<?> linear(ONNXRef<?> x, String name, float[] weight, float[] bias, int out, int in) {
        float[] transposed = new float[weight.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = weight[o * in + i];
            }
        }
        ONNXRef<?> y = op(OnnxOp.MAT_MUL, x, tensor(name + "_weight_t", transposed, in, out));
        return bias == null ? y : op(OnnxOp.ADD, y, tensor(name + "_bias", bias, out));
    }

    /**
     * Layer normalisation over the last axis.
     *
     * @param x the input
     * @param name a base name
     * @param gamma the scale
     * @param beta the shift
     * @param epsilon the variance epsilon
     * @return the output reference
     */
    public ONNXRef<?> layerNorm(ONNXRef<?> x, String name, float[] gamma, float[] beta, float epsilon) {
        return op(
                OnnxOp.LAYER_NORM,
                List.of(x, tensor(name + "_gamma", gamma, gamma.length), tensor(name + "_beta", beta, beta.length)),
                Map.of("axis", -1, "epsilon", epsilon));
    }

    /**
     * The exact GELU: {@code 0.5 x (1 + erf(x / sqrt 2))}, as PyTorch's default.
     *
     * @param x the input
     * @return the output reference
     */
    public ONNXRef<?> gelu(ONNXRef<?> x) {
        ONNXRef<?> scaled = op(OnnxOp.DIV, x, scalar("sqrt2", (float) Math.sqrt(2)));
        ONNXRef<?> onePlus = op(OnnxOp.ADD, op(OnnxOp.ERF, scaled), scalar("one", 1f));
        return op(OnnxOp.MUL, op(OnnxOp.MUL, x, onePlus), scalar("half", 0.5f));
    }

    /**
     * A DJL Conv1d over {@code [batch, channels, length]}.
     *
     * @param x the input
     * @param name a base name
     * @param weight {@code [out, in, kernel]}
     * @param bias {@code [out]}, or {@code null}
     * @param out output channels
     * @param in input channels
     * @param kernel kernel width
     * @param pad zero padding on each side
     * @return the output reference
     */
    public ONNXRef<?> conv1d(
            ONNXRef<?> x, String name, float[] weight, float[] bias, int out, int in, int kernel, int pad) {
        List<ONNXRef<?>> args = new ArrayList<>();
        args.add(x);
        args.add(tensor(name + "_weight", weight, out, in, kernel));
        if (bias != null) {
            args.add(tensor(name + "_bias", bias, out));
        }
        return op(
                OnnxOp.CONV,
                args,
                Map.of("kernel_shape", new int[] {kernel}, "pads", new int[] {pad, pad}, "strides", new int[] {1}));
    }

    /**
     * Inserts size-1 axes.
     *
     * @param x the input
     * @param axes where
     * @return the output reference
     */
    public ONNXRef<?> unsqueeze(ONNXRef<?> x, long... axes) {
        return op(OnnxOp.UNSQUEEZE, x, longs("axes", axes));
    }

    /**
     * Removes size-1 axes.
     *
     * @param x the input
     * @param axes which
     * @return the output reference
     */
    public ONNXRef<?> squeeze(ONNXRef<?> x, long... axes) {
        return op(OnnxOp.SQUEEZE, x, longs("axes", axes));
    }

    /**
     * A slice {@code [start, end)} of one axis.
     *
     * @param x the input
     * @param axis the axis
     * @param start first index
     * @param end one past the last index
     * @return the output reference
     */
    public ONNXRef<?> slice(ONNXRef<?> x, long axis, long start, long end) {
        return op(OnnxOp.SLICE, x, longs("starts", start), longs("ends", end), longs("axes", axis));
    }

    /**
     * Joins tensors along an axis.
     *
     * @param axis the axis
     * @param parts the tensors
     * @return the output reference
     */
    public ONNXRef<?> concat(int axis, List<? extends ONNXRef<?>> parts) {
        return op(OnnxOp.CONCAT, parts, Map.of("axis", axis));
    }

    /**
     * A DJL Linear layer over the last axis from initializers already in the graph (so that several passes can
     * share one copy of the parameters): {@code x W^T + b}.
     *
     * @param x the input, last axis {@code in}
     * @param weightT the transposed weight {@code [in, out]} (see {@link #transpose})
     * @param bias the bias {@code [out]}
     * @return the output reference
     */
    public ONNXRef<?> linear(ONNXRef<?> x, ONNXRef<?> weightT, ONNXRef<?> bias) {
        return op(OnnxOp.ADD, op(OnnxOp.MAT_MUL, x, weightT), bias);
    }

    /**
     * A DJL Conv1d over {@code [batch, channels, length]} from initializers already in the graph.
     *
     * @param x the input
     * @param weight {@code [out, in, kernel]}
     * @param bias {@code [out]}
     * @param kernel kernel width
     * @param pad zero padding on each side
     * @return the output reference
     */
    public ONNXRef<?> conv1d(ONNXRef<?> x, ONNXRef<?> weight, ONNXRef<?> bias, int kernel, int pad) {
        return op(
                OnnxOp.CONV,
                List.of(x, weight, bias),
                Map.of("kernel_shape", new int[] {kernel}, "pads", new int[] {pad, pad}, "strides", new int[] {1}));
    }

    /**
     * Layer normalisation over the last axis from initializers already in the graph.
     *
     * @param x the input
     * @param gamma the scale
     * @param beta the shift
     * @param epsilon the variance epsilon
     * @return the output reference
     */
    public ONNXRef<?> layerNorm(ONNXRef<?> x, ONNXRef<?> gamma, ONNXRef<?> beta, float epsilon) {
        return op(OnnxOp.LAYER_NORM, List.of(x, gamma, beta), Map.of("axis", -1, "epsilon", epsilon));
    }

    /**
     * A DJL Linear weight {@code [out, in]} transposed to the {@code [in, out]} that {@code MatMul} takes.
     *
     * @param weight row-major {@code [out, in]}
     * @param out output features
     * @param in input features
     * @return row-major {@code [in, out]}
     */
    public static float[] transpose(float[] weight, int out, int in) {
        float[] transposed = new float[weight.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = weight[o * in + i];
            }
        }
        return transposed;
    }

    /**
     * @param name a base name
     * @param values the values
     * @return a 1-d double constant (a single value broadcasts like a scalar)
     */
    public ONNXInitializer doubles(String name, double... values) {
        return context.array(name, values, false);
    }

    /**
     * Converts the element type.
     *
     * @param x the input
     * @param to the target type
     * @return the output reference
     */
    public ONNXRef<?> cast(ONNXRef<?> x, OnnxMl.TensorProto.DataType to) {
        return op(OnnxOp.CAST, List.of(x), Map.of("to", to.getNumber()));
    }

    /** @return the declared inputs, in order */
    public List<ONNXPlaceholder> inputs() {
        return List.copyOf(inputs);
    }

    /** @return the declared outputs, in order */
    public List<ONNXPlaceholder> outputs() {
        return List.copyOf(outputs);
    }
}

package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends raw ONNX nodes and constants, each named under one prefix, to lists that a merge then adds to a graph.
 * Used where a graph is assembled from existing protos rather than built in Tribuo's context (which owns its
 * names and cannot take foreign nodes).
 */
final class OnnxNodes {

    private final String prefix;
    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
    private int counter;

    /** @param prefix the prefix of every name this builder makes */
    OnnxNodes(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Adds a node with one output.
     *
     * @param op the operator type (default domain)
     * @param attributes the node's attributes
     * @param inputs its input names
     * @return its output's name
     */
    String op(String op, List<OnnxMl.AttributeProto> attributes, String... inputs) {
        String out = prefix + op.toLowerCase(Locale.ROOT) + "_" + (counter++);
        nodes.add(OnnxMl.NodeProto.newBuilder()
                .setOpType(op)
                .setName(out)
                .addAllInput(List.of(inputs))
                .addOutput(out)
                .addAllAttribute(attributes)
                .build());
        return out;
    }

    /**
     * Adds a node with one output and no attributes.
     *
     * @param op the operator type
     * @param inputs its input names
     * @return its output's name
     */
    String op(String op, String... inputs) {
        return op(op, List.of(), inputs);
    }

    /**
     * Adds a node whose single output gets a given name (for the tensor another graph reads by name).
     *
     * @param op the operator type
     * @param output the output's name
     * @param inputs its input names
     */
    void opInto(String op, String output, String... inputs) {
        opInto(op, List.of(), output, inputs);
    }

    /**
     * Adds a node with attributes whose single output gets a given name.
     *
     * @param op the operator type
     * @param attributes the node's attributes
     * @param output the output's name
     * @param inputs its input names
     */
    void opInto(String op, List<OnnxMl.AttributeProto> attributes, String output, String... inputs) {
        nodes.add(OnnxMl.NodeProto.newBuilder()
                .setOpType(op)
                .setName(prefix + "to_" + output)
                .addAllInput(List.of(inputs))
                .addOutput(output)
                .addAllAttribute(attributes)
                .build());
    }

    /**
     * @param values the values
     * @return the name of a 1-d int64 constant
     */
    String longs(long... values) {
        String name = prefix + "const_" + (counter++);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        initializers.add(t.build());
        return name;
    }

    /**
     * @param value the value
     * @return the name of an int64 scalar constant
     */
    String longScalar(long value) {
        String name = prefix + "const_" + (counter++);
        initializers.add(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addInt64Data(value)
                .build());
        return name;
    }

    /**
     * @param value the value
     * @return the name of a float scalar constant
     */
    String floatScalar(float value) {
        String name = prefix + "const_" + (counter++);
        initializers.add(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addFloatData(value)
                .build());
        return name;
    }

    /**
     * @param name an attribute name
     * @param value its value
     * @return an int attribute
     */
    static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    /**
     * @param name an attribute name
     * @param values its values
     * @return an ints attribute
     */
    static OnnxMl.AttributeProto intsAttribute(String name, long... values) {
        OnnxMl.AttributeProto.Builder a =
                OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** @return the nodes added, in order */
    List<OnnxMl.NodeProto> nodes() {
        return nodes;
    }

    /** @return the constants added */
    List<OnnxMl.TensorProto> initializers() {
        return initializers;
    }
}

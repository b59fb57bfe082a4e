package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.io.Json;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Preprocess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Merges encoder graphs in front of an exported fusion graph, so that one model maps the encoders' own inputs
 * (token ids and masks, image tensors) to the prediction. For each merged modality {@code m}:
 * <ul>
 *   <li>the encoder graph is upgraded to the fusion graph's opset ({@link OnnxOpsetUpgrade});</li>
 *   <li>its inputs become graph inputs named {@code m/<input>} (e.g. {@code text/input_ids}), its intermediate
 *       values and nodes are renamed under {@code m/}, and its weights under {@code <encoder>/}, so that two
 *       modalities with the same encoder keep its weights once;</li>
 *   <li>the spec's pooling is written after it ({@link EncoderPoolingGraph}) and produces the tensor named
 *       {@code m}, which the fusion graph read as its input: that input disappears.</li>
 * </ul>
 * Modalities not merged (tabular columns, precomputed vectors) stay inputs of the fusion graph as they were.
 */
public final class EndToEndMerge {

    /**
     * One modality whose encoder joins the graph.
     *
     * @param modality the modality name (the fusion graph's input of that name is replaced)
     * @param spec the encoder's spec (pooling, preprocessing, output name)
     * @param encoder the encoder's ONNX model
     */
    public record Part(String modality, EncoderSpec spec, OnnxMl.ModelProto encoder) {}

    private static final ObjectMapper JSON = Json.MAPPER;

    private EndToEndMerge() {}

    /**
     * @param fusion the exported fusion model, with its metadata
     * @param parts the encoders to merge
     * @return one model; its metadata is the fusion model's plus {@link OnnxMetadata#END_TO_END}
     * @throws IllegalArgumentException when a graph cannot be merged (unsupported operators, a missing input)
     */
    public static OnnxMl.ModelProto merge(OnnxMl.ModelProto fusion, List<Part> parts) {
        OnnxMl.GraphProto fg = fusion.getGraph();
        Map<String, OnnxMl.ValueInfoProto> fusionInputs = new LinkedHashMap<>();
        fg.getInputList().forEach(i -> fusionInputs.put(i.getName(), i));
        OnnxMl.GraphProto.Builder merged =
                OnnxMl.GraphProto.newBuilder().setName(fg.getName()).setDocString(fg.getDocString());
        Set<String> initializers = new HashSet<>();
        Map<String, Long> domains = new LinkedHashMap<>();
        ObjectNode description = JSON.createObjectNode();
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (Part p : parts) {
            if (fusionInputs.remove(p.modality()) == null) {
                throw new IllegalArgumentException("the fusion graph has no input '" + p.modality() + "'");
            }
            List<String> names = mergeOne(p, merged, initializers, inputs);
            for (OnnxMl.OperatorSetIdProto o : p.encoder().getOpsetImportList()) {
                boolean standard = o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx");
                Long before = standard ? null : domains.put(o.getDomain(), o.getVersion());
                if (before != null && before != o.getVersion()) {
                    throw new IllegalArgumentException("encoders import opsets " + before + " and " + o.getVersion()
                            + " of domain " + o.getDomain());
                }
            }
            ObjectNode d = description.putObject(p.modality());
            d.put("encoder", p.spec().name());
            names.forEach(d.putArray("inputs")::add);
            d.put("preprocess", p.spec().preprocess().canonical());
            d.put("pooling", p.spec().pooling().canonical());
        }
        merged.addAllInput(inputs).addAllInput(fusionInputs.values());
        merged.addAllNode(fg.getNodeList())
                .addAllInitializer(fg.getInitializerList())
                .addAllValueInfo(fg.getValueInfoList())
                .addAllOutput(fg.getOutputList());
        OnnxMl.ModelProto.Builder model = fusion.toBuilder().setGraph(merged);
        domains.forEach((d, v) -> model.addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setDomain(d).setVersion(v)));
        model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(OnnxMetadata.END_TO_END)
                .setValue(description.toString()));
        return model.build();
    }

    /** Adds one encoder and its pooling; returns the new graph inputs' names. */
    private static List<String> mergeOne(
            Part p, OnnxMl.GraphProto.Builder merged, Set<String> initializers, List<OnnxMl.ValueInfoProto> inputs) {
        String values = p.modality() + "/";
        String weights = p.spec().name() + "/";
        OnnxMl.GraphProto g = OnnxOpsetUpgrade.upgrade(p.encoder(), "btw_");
        Set<String> own = new HashSet<>();
        g.getInitializerList().forEach(t -> own.add(t.getName()));
        UnaryOperator<String> rename = n -> n.isEmpty() ? n : (own.contains(n) ? weights : values) + n;
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (initializers.add(rename.apply(t.getName()))) {
                merged.addInitializer(t.toBuilder().setName(rename.apply(t.getName())));
            }
        }
        List<String> names = new ArrayList<>();
        for (OnnxMl.ValueInfoProto in : g.getInputList()) {
            if (!own.contains(in.getName())) {
                inputs.add(in.toBuilder().setName(rename.apply(in.getName())).build());
                names.add(rename.apply(in.getName()));
            }
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            OnnxMl.NodeProto.Builder b =
                    n.toBuilder().clearInput().clearOutput().setName(n.getName().isEmpty() ? "" : values + n.getName());
            n.getInputList().forEach(i -> b.addInput(rename.apply(i)));
            n.getOutputList().forEach(o -> b.addOutput(rename.apply(o)));
            merged.addNode(b);
        }
        for (OnnxMl.ValueInfoProto v : g.getValueInfoList()) {
            merged.addValueInfo(v.toBuilder().setName(rename.apply(v.getName())));
        }
        String output = encoderOutput(p, g);
        OnnxNodes pooling = new OnnxNodes(values + "pool_");
        if (Preprocess.kindOf(p.spec().preprocess()) == Preprocess.Kind.TEXT) {
            String mask = values + "attention_mask";
            if (!names.contains(mask)) {
                throw new IllegalArgumentException("encoder " + p.spec().name() + " has no attention_mask input, "
                        + "which text pooling reads; inputs: " + names);
            }
            EncoderPoolingGraph.text(
                    pooling, rename.apply(output), mask, p.spec().pooling(), p.modality());
        } else {
            if (names.size() != 1) {
                throw new IllegalArgumentException("encoder " + p.spec().name() + " has inputs " + names
                        + "; an end-to-end image encoder takes one tensor");
            }
            EncoderPoolingGraph.tensor(pooling, rename.apply(output), p.spec().pooling(), names.get(0), p.modality());
        }
        merged.addAllNode(pooling.nodes()).addAllInitializer(pooling.initializers());
        return names;
    }

    private static String encoderOutput(Part p, OnnxMl.GraphProto g) {
        String wanted = p.spec().output();
        if (wanted == null || wanted.isEmpty()) {
            return g.getOutput(0).getName();
        }
        for (OnnxMl.ValueInfoProto o : g.getOutputList()) {
            if (o.getName().equals(wanted)) {
                return wanted;
            }
        }
        throw new IllegalArgumentException("encoder " + p.spec().name() + " has no output '" + wanted + "'");
    }
}

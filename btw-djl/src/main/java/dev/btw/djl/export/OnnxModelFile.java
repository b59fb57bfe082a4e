package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl;
import dev.btw.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps an {@link OnnxGraph} into an ONNX model (IR version 8, opset {@value OnnxOp#OPSET}) with string metadata,
 * and writes it atomically.
 */
public final class OnnxModelFile {

    /** The ONNX IR version written; ONNX Runtime 1.21 reads up to 10. */
    public static final long IR_VERSION = 8;

    private final OnnxGraph graph;
    private final String graphName;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String docString = "";

    /**
     * @param graph the graph
     * @param graphName the graph's name
     */
    public OnnxModelFile(OnnxGraph graph, String graphName) {
        this.graph = graph;
        this.graphName = graphName;
    }

    /**
     * Adds a metadata entry (model-level {@code metadata_props}).
     *
     * @param key the key
     * @param value the value
     * @return this
     */
    public OnnxModelFile optMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * @param doc a human-readable description
     * @return this
     */
    public OnnxModelFile optDocString(String doc) {
        this.docString = doc;
        return this;
    }

    /** @return the model proto */
    public OnnxMl.ModelProto build() {
        graph.context().setName(graphName);
        OnnxMl.GraphProto g = graph.context().buildGraph();
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("btw")
                .setProducerVersion(
                        OnnxModelFile.class.getPackage().getImplementationVersion() == null
                                ? "dev"
                                : OnnxModelFile.class.getPackage().getImplementationVersion())
                .setDomain("dev.btw")
                .setModelVersion(1)
                .setDocString(docString)
                .setGraph(g)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOp.OPSET));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(e.getKey())
                    .setValue(e.getValue()));
        }
        return model.build();
    }

    /**
     * Writes the model atomically.
     *
     * @param file the target
     * @throws IOException on failure; an earlier file at the path is kept
     */
    public void write(Path file) throws IOException {
        OnnxMl.ModelProto model = build();
        AtomicFiles.write(file, model::writeTo);
    }
}

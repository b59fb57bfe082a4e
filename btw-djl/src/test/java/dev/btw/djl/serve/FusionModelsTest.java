package dev.btw.djl.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.djl.export.FusionOnnxExporter;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL predictor over an exported file gives the block's own outputs, handles missing modalities, and rejects bad input. */
class FusionModelsTest {

    @TempDir
    Path dir;

    private Path file;
    private float[][] expected;
    private final float[][] text = {{0.5f, -1f, 2f, 0f}, {1f, 1f, -1f, 0.3f}};
    private final float[][] audio = {{0.1f, 0.2f}, {-0.4f, 0.9f}};

    @BeforeEach
    void export() throws Exception {
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .setOutputs(3)
                .addModality("text", 4)
                .addModality("audio", 2)
                .optHidden(8)
                .optExperts(3)
                .optTopK(2)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            block.initialize(manager);
            NDList in = new NDList(
                    manager.create(new float[][] {text[0], text[1]}),
                    manager.create(new float[][] {audio[0], audio[1]}),
                    manager.create(new float[] {0.7f, 0.3f, 0.7f, 0.3f}, new Shape(2, 2)),
                    manager.create(new float[] {1f, 1f, 1f, 0f}, new Shape(2, 2)));
            NDArray out = block.forward(new ParameterStore(manager, false), in, false)
                    .get(0)
                    .softmax(1);
            expected = new float[][] {
                Arrays.copyOfRange(out.toFloatArray(), 0, 3), Arrays.copyOfRange(out.toFloatArray(), 3, 6)
            };
            file = dir.resolve("m.onnx");
            new FusionOnnxExporter(block)
                    .export(Task.CLASSIFICATION, Map.of("text", 0.7, "audio", 0.3))
                    .optMetadata(OnnxMetadata.FORMAT, "1")
                    .optMetadata(OnnxMetadata.MODALITIES, "text,audio")
                    .optMetadata(OnnxMetadata.INPUT_DIMS, "{\"text\":4,\"audio\":2}")
                    .optMetadata(OnnxMetadata.TASK, "classification")
                    .optMetadata(OnnxMetadata.CLASSES, "[\"neg\",\"neu\",\"pos\"]")
                    .write(file);
        }
    }

    @Test
    void predictsLikeTheBlockWithAMissingModality() throws Exception {
        FusionModelInfo info = FusionModels.info(file);
        assertEquals(List.of("text", "audio"), List.copyOf(info.modalities().keySet()));
        assertEquals(List.of("neg", "neu", "pos"), info.classes());
        try (ZooModel<List<FusionInput>, List<FusionOutput>> model = FusionModels.load(file);
                Predictor<List<FusionInput>, List<FusionOutput>> predictor = model.newPredictor()) {
            List<FusionOutput> out = predictor.predict(List.of(
                    new FusionInput().put("text", text[0]).put("audio", audio[0]),
                    new FusionInput().put("text", text[1])));
            assertArrayEquals(expected[0], out.get(0).values(), 1e-5f);
            assertArrayEquals(expected[1], out.get(1).values(), 1e-5f);
            assertEquals(List.of("neg", "neu", "pos"), out.get(0).classes());
            assertTrue(List.of("neg", "neu", "pos").contains(out.get(1).predictedClass()));

            TranslateException wrongWidth = assertThrows(
                    TranslateException.class,
                    () -> predictor.predict(List.of(new FusionInput().put("text", new float[3]))));
            assertTrue(rootMessage(wrongWidth).contains("width 3"), rootMessage(wrongWidth));
            TranslateException unknown = assertThrows(
                    TranslateException.class,
                    () -> predictor.predict(List.of(new FusionInput().put("video", new float[3]))));
            assertTrue(rootMessage(unknown).contains("unknown modality 'video'"), rootMessage(unknown));
        }
    }

    @Test
    void rejectsFilesThatAreNotBtwModels() throws Exception {
        Path truncated = dir.resolve("t.onnx");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        BtwException e = assertThrows(BtwException.class, () -> FusionModels.load(truncated));
        assertTrue(e.getMessage().contains("t.onnx"), e.getMessage());
        Path text = dir.resolve("x.onnx");
        Files.writeString(text, "hello");
        e = assertThrows(BtwException.class, () -> FusionModels.load(text));
        assertTrue(e.getMessage().contains("x.onnx"), e.getMessage());
        e = assertThrows(BtwException.class, () -> FusionModels.load(dir.resolve("none.onnx")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

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
                    .optClasses(List.of("neg", "neu", "pos"))
                    .export(Task.CLASSIFICATION, Map.of("text", 0.7, "audio", 0.3))
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
            for (int i = 0; i < 2; i++) {
                FusionOutput o = out.get(i);
                int best = argmax(expected[i]);
                assertEquals(best, o.predictedIndex());
                assertEquals(List.of("neg", "neu", "pos").get(best), o.predictedClass());
                assertEquals(expected[i][2], o.probability("pos"), 1e-5f);
                assertEquals(
                        List.of("neg", "neu", "pos"),
                        List.copyOf(o.probabilities().keySet()));
                BtwException notRegression = assertThrows(BtwException.class, o::value);
                assertTrue(notRegression.getMessage().contains("predictedClass()"), notRegression.getMessage());
                assertThrows(BtwException.class, () -> o.probability("maybe"));
                assertTrue(
                        o.toString().contains("class " + o.predictedClass())
                                && o.toString().contains("text="),
                        o.toString());
            }
            // the weights the model used: the baked ones, 0 for the missing audio
            assertEquals(Map.of("text", 0.7f, "audio", 0.3f), out.get(0).modalityWeights());
            assertEquals(
                    List.of("text", "audio"),
                    List.copyOf(out.get(0).modalityWeights().keySet()));
            assertEquals(0.7f, out.get(1).weightOf("text"), 1e-6f);
            assertEquals(0f, out.get(1).weightOf("audio"));
            BtwException unknownWeight =
                    assertThrows(BtwException.class, () -> out.get(1).weightOf("video"));
            assertTrue(unknownWeight.getMessage().contains("'video'"), unknownWeight.getMessage());

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

    @Test
    void classesDefaultToTheirIndicesAndAreChecked() throws Exception {
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .setOutputs(2)
                .addModality("text", 4)
                .optHidden(8)
                .optExperts(2)
                .optTopK(1)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            block.initialize(manager);
            IllegalArgumentException wrongCount = assertThrows(
                    IllegalArgumentException.class, () -> new FusionOnnxExporter(block).optClasses(List.of("a")));
            assertTrue(wrongCount.getMessage().contains("2 outputs"), wrongCount.getMessage());
            IllegalArgumentException nullWeights = assertThrows(
                    IllegalArgumentException.class,
                    () -> new FusionOnnxExporter(block).export(Task.CLASSIFICATION, null));
            assertTrue(nullWeights.getMessage().contains("modalityWeights"), nullWeights.getMessage());
            Path plain = dir.resolve("plain.onnx");
            new FusionOnnxExporter(block)
                    .export(Task.CLASSIFICATION, Map.of("text", 1.0))
                    .write(plain);
            assertEquals(List.of("0", "1"), FusionModels.info(plain).classes());
            assertEquals(List.of("text"), FusionModels.info(plain).weightedModalities());
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

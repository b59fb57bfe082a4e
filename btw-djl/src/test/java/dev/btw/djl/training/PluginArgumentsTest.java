package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.djl.serve.FusionInput;
import dev.btw.djl.serve.FusionModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every null or missing argument of the plugin API is refused with an error that names it, not a raw NPE. */
class PluginArgumentsTest {

    private static FusionDataset dataset() {
        return FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .addModality("text", new float[][] {{1f, 2f}, {3f, 4f}, null})
                .addModality("audio", new float[][] {{1f}, null, {2f}})
                .setLabels(new double[] {0.5, 1.5, 2.5})
                .setSampling(2, false)
                .build();
    }

    private static void refused(String expected, Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(
                e instanceof IllegalArgumentException || e instanceof BtwException,
                "a clear error, not " + e.getClass().getName());
        assertTrue(e.getMessage() != null && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void predictionsWithoutWeightsSayWhichToPass() {
        FusionDataset data = dataset();
        try (Model model = Model.newInstance("unused", "PyTorch")) {
            refused("dataset.weights()", () -> FusionPredictions.predict(model, data, null));
            refused("dataset is null", () -> FusionPredictions.predict(model, null, data.weights()));
            refused("model is null", () -> FusionPredictions.predict((Model) null, data, data.weights()));
            refused(
                    "weights row 1 has 1 values",
                    () -> FusionPredictions.predict(model, data, new double[][] {{1, 1}, {1}, {1, 1}}));
            refused("weights for 2 instances", () -> FusionPredictions.predict(model, data, new double[2][2]));
        }
    }

    @Test
    void datasetBuilderNamesTheMissingArgument() {
        refused("task is null", () -> FusionDataset.builder().setTask(null));
        refused("labels is null", () -> FusionDataset.builder().setLabels(null));
        refused("modality name is null", () -> FusionDataset.builder().addModality(null, new float[1][]));
        refused("rows of modality 'text' is null", () -> FusionDataset.builder().addModality("text", null));
        refused(
                "'text' is added twice",
                () -> FusionDataset.builder()
                        .addModality("text", new float[1][])
                        .addModality("text", new float[1][]));
        refused("split is null", () -> FusionDataset.builder().setSplitData(null));
        refused("ids is null", () -> FusionDataset.builder().optIds(null));
        refused("weights is null", () -> dataset().setWeights(null));
        FusionDataset data = dataset();
        double[][] w = {{0.5, 1.5}, {1, 1}, {2, 0}};
        data.setWeights(w);
        assertArrayEquals(w[0], data.weights()[0], 1e-7);
    }

    @Test
    void listenerBuilderNamesTheMissingArgument() {
        refused("train is null", () -> BtwTrainingListener.builder().setTrainDataset(null));
        refused("references is null", () -> BtwTrainingListener.builder().setReferences(null));
        refused("rule is null", () -> BtwTrainingListener.builder().optRule(null));
        refused(
                "setValidationDataset was not called",
                () -> BtwTrainingListener.builder().setTrainDataset(dataset()).build());
    }

    @Test
    void servingNamesTheMissingArgument() {
        refused("modality is null", () -> new FusionInput().put(null, new float[1]));
        refused("modality is null", () -> new FusionInput().putRaw(null, "text"));
        refused("file is null", () -> FusionModels.load(null));
        refused("file is null", () -> FusionModels.info(null));
        assertTrue(new FusionInput().put("audio", null).embeddings().containsKey("audio"), "null marks missing");
    }
}

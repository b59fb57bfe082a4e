package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listeners a plugin user adds for what {@code btw train} does: gradient clipping and the plateau schedule. */
class TrainingListenersTest {

    @Test
    void gradientClippingBringsTheGlobalNormToTheLimitBeforeTheStep() throws Exception {
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("a", 4)
                .addModality("b", 3)
                .setOutputs(1)
                .optHidden(8)
                .optLayers(1)
                .optExperts(2)
                .optTopK(1)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
        Random r = new Random(1);
        float[][] a = new float[16][4];
        float[][] b = new float[16][3];
        double[] y = new double[16];
        for (int i = 0; i < 16; i++) {
            for (int k = 0; k < 4; k++) {
                a[i][k] = (float) r.nextGaussian();
            }
            for (int k = 0; k < 3; k++) {
                b[i][k] = (float) r.nextGaussian();
            }
            y[i] = 100 * a[i][0]; // large targets: large gradients
        }
        FusionDataset data = FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .addModality("a", a)
                .addModality("b", b)
                .setLabels(y)
                .setSampling(16, false)
                .build();
        GradientClipping clip = new GradientClipping(1e-3f);
        Engine.getInstance().setRandomSeed(1111);
        try (Model model = Model.newInstance("clip")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(0.1f))
                            .build())
                    .addTrainingListeners(clip);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(block.inputShapes(16));
                for (Batch batch : trainer.iterateDataset(data)) {
                    EasyTrain.trainBatch(trainer, batch);
                    batch.close();
                    break;
                }
                double squares = 0;
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray w = p.getValue().getArray();
                    if (w.hasGradient()) {
                        squares += w.getGradient().square().sum().getFloat();
                    }
                }
                assertTrue(clip.lastNorm() > 1e-3, "the unclipped norm was above the limit: " + clip.lastNorm());
                assertEquals(1e-3, Math.sqrt(squares), 1e-5, "after the listener the global norm is the limit");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new GradientClipping(0));
    }

    @Test
    void theListenerTakesTheConfigsBtwSettings() {
        FusionDataset data = FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .addModality("a", new float[][] {{1}, {2}, {3}, {4}})
                .setLabels(new double[] {1, 2, 3, 4})
                .setSampling(2, false)
                .build();
        BtwSettings uniform = BtwConfig.defaults(List.of("btw.rule=uniform")).btw();
        BtwTrainingListener fixed = BtwTrainingListener.builder()
                .setTrainDataset(data)
                .setValidationDataset(data)
                .optSettings(uniform)
                .build();
        assertEquals(0, fixed.history().size(), "uniform needs no references and never refreshes");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BtwTrainingListener.builder()
                        .setTrainDataset(data)
                        .setValidationDataset(data)
                        .optSettings(ConfigDefaults.BTW)
                        .build());
        assertTrue(e.getMessage().contains("exp(-kl)*mi") && e.getMessage().contains("setReferences"), e.getMessage());
    }

    @Test
    void plateauHalvesTheRateAfterPatienceEpochsWithoutImprovement() {
        double[] monitors = {5.0, 4.0, 4.5, 4.2, 4.1, 3.0};
        int[] epoch = {0};
        PlateauLearningRate lr = PlateauLearningRate.builder()
                .setBaseValue(1e-2f)
                .setMonitor(() -> monitors[epoch[0]], false)
                .optPatience(2)
                .build();
        float[] seen = new float[monitors.length];
        for (; epoch[0] < monitors.length; epoch[0]++) {
            lr.onEpoch(null);
            seen[epoch[0]] = lr.getNewValue(0);
        }
        // 5 and 4 improve; 4.5, 4.2 are bad epochs 1 and 2; 4.1 is the third: halved; 3.0 improves
        assertEquals(1e-2f, seen[3], 0f);
        assertEquals(5e-3f, seen[4], 0f);
        assertEquals(5e-3f, seen[5], 0f);
        assertThrows(
                IllegalArgumentException.class,
                () -> PlateauLearningRate.builder().setBaseValue(1e-3f).build());
    }
}

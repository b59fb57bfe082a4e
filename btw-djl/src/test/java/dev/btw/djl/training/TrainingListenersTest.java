package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Split;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void theBtwStateIsCheckpointedEveryEpochAndRestoredWhenTrainingBegins(@TempDir Path dir) throws Exception {
        Random r = new Random(3);
        Map<Split, FusionDataset> data = new EnumMap<>(Split.class);
        References refs = new References();
        Map<String, Map<Split, Predictions>> byModality = new LinkedHashMap<>();
        for (Split s : List.of(Split.TRAIN, Split.VAL)) {
            int n = s == Split.TRAIN ? 48 : 16;
            float[][] a = new float[n][2];
            float[][] b = new float[n][2];
            double[] y = new double[n];
            double[][] pa = new double[n][1];
            double[][] pb = new double[n][1];
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(s.label() + i);
                a[i][0] = (float) r.nextGaussian();
                a[i][1] = (float) r.nextGaussian();
                b[i][0] = (float) r.nextGaussian();
                b[i][1] = (float) r.nextGaussian();
                y[i] = 3 * a[i][0] + 0.1 * r.nextGaussian();
                pa[i][0] = y[i] + 0.3 * r.nextGaussian();
                pb[i][0] = r.nextGaussian() * 3;
            }
            data.put(
                    s,
                    FusionDataset.builder()
                            .setTask(Task.REGRESSION)
                            .optIds(ids)
                            .addModality("a", a)
                            .addModality("b", b)
                            .setLabels(y)
                            .setSampling(16, s == Split.TRAIN)
                            .build());
            byModality.computeIfAbsent("a", m -> new EnumMap<>(Split.class)).put(s, new Predictions(ids, pa));
            byModality.computeIfAbsent("b", m -> new EnumMap<>(Split.class)).put(s, new Predictions(ids, pb));
        }
        refs.put("a", byModality.get("a"), 0.3);
        refs.put("b", byModality.get("b"), 3.0);
        BtwSettings everyEpoch =
                BtwConfig.defaults(List.of("btw.trigger=every-epoch")).btw();
        BtwTrainingListener first = listener(data, refs, everyEpoch, dir);
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("a", 2)
                .addModality("b", 2)
                .setOutputs(1)
                .optHidden(8)
                .optLayers(1)
                .optExperts(2)
                .optTopK(1)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
        Engine.getInstance().setRandomSeed(1111);
        try (Model model = Model.newInstance("resume")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(1e-2f))
                            .build())
                    .addTrainingListeners(first);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(block.inputShapes(16));
                EasyTrain.fit(trainer, 3, data.get(Split.TRAIN), data.get(Split.VAL));
                assertTrue(first.history().size() >= 2, "every-epoch refreshes: " + first.history());
                assertTrue(Files.exists(dir.resolve(BtwTrainingListener.STATE_FILE)));

                BtwTrainingListener resumed = listener(data, refs, everyEpoch, dir);
                resumed.onTrainingBegin(trainer);
                assertEquals(first.validationMonitors(), resumed.validationMonitors());
                assertEquals(first.bestEpoch(), resumed.bestEpoch());
                assertEquals(first.history().size(), resumed.history().size(), "the refresh history comes back");
                assertEquals(
                        first.history().last().meanWeights(),
                        resumed.history().last().meanWeights());
                assertArrayEquals(
                        data.get(Split.TRAIN).weights()[5],
                        first.refresher().trainWeights()[5],
                        1e-6,
                        "the train dataset carries the weights (as float)");
                assertArrayEquals(
                        first.refresher().trainWeights()[5], resumed.refresher().trainWeights()[5], 0.0);
                assertEquals(first.modalityPrior(), resumed.modalityPrior());

                Files.writeString(dir.resolve(BtwTrainingListener.STATE_FILE), "{\"epoch\": 2}");
                BtwException e = assertThrows(
                        BtwException.class,
                        () -> listener(data, refs, everyEpoch, dir).onTrainingBegin(trainer));
                assertTrue(e.getMessage().contains(BtwTrainingListener.STATE_FILE), e.getMessage());
            }
        }
    }

    private static BtwTrainingListener listener(
            Map<Split, FusionDataset> data, References refs, BtwSettings settings, Path dir) {
        return BtwTrainingListener.builder()
                .setTrainDataset(data.get(Split.TRAIN))
                .setValidationDataset(data.get(Split.VAL))
                .setReferences(refs)
                .optSettings(settings)
                .optCheckpointDirectory(dir)
                .build();
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

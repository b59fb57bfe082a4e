package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener;
import ai.djl.training.listener.SaveModelTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.RefreshRecord;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightsHistory;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.model.TrainingNoise;
import dev.btw.djl.training.BtwTrainingListener;
import dev.btw.djl.training.EpochShuffleSampler;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionPredictions;
import dev.btw.djl.training.PlateauLearningRate;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.StepSeeds;
import dev.btw.djl.training.ValidationMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MoeFusionBlock trained with DJL's Trainer, EasyTrain.fit, Adam and DJL's stock listeners plus the BTW listener;
 * and the listener's weights history against the CLI loop's ({@link FusionRun}) on the same data and seed.
 */
class BtwTrainingListenerTest {

    private static final long SEED = 7;

    @TempDir
    Path tmp;

    static MoeFusionSpec spec() {
        MoeFusionSpec.Builder b = MoeFusionSpec.builder().setOutputs(1);
        SyntheticFusion.DIMS.forEach(b::addModality);
        return b.optHidden(16)
                .optLayers(1)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(32)
                .optFfHidden(32)
                .optHeadHidden(16)
                .build();
    }

    static FusionDataset dataset(FusionData data, Split split, Standardisation scale, boolean shuffle) {
        return FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .setSplitData(data.split(split))
                .optLabelScale(scale)
                .setSampling(32, shuffle)
                .build();
    }

    /** Records, per epoch, the largest |w - 1| of the weights the training batches carried. */
    static final class BatchWeightsProbe extends TrainingListenerAdapter {
        final List<Double> maxDeviation = new ArrayList<>();
        private double current;
        private final int modalities;

        BatchWeightsProbe(int modalities) {
            this.modalities = modalities;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            NDArray w = batchData.getBatch().getData().get(modalities);
            NDArray mask = batchData.getBatch().getData().get(modalities + 1);
            float[] wv = w.toFloatArray();
            float[] mv = mask.toFloatArray();
            for (int i = 0; i < wv.length; i++) {
                if (mv[i] > 0) {
                    current = Math.max(current, Math.abs(wv[i] - 1.0));
                }
            }
        }

        @Override
        public void onEpoch(Trainer trainer) {
            maxDeviation.add(current);
            current = 0;
        }
    }

    @Test
    void trainsWithDjlTrainerAdamAndStockListeners() throws Exception {
        FusionData data = SyntheticFusion.data(320, 3);
        References refs = SyntheticFusion.references(data);
        Standardisation scale = FusionRun.labelScale(data);
        FusionDataset train = dataset(data, Split.TRAIN, scale, true);
        FusionDataset val = dataset(data, Split.VAL, scale, false);
        FusionDataset test = dataset(data, Split.TEST, scale, false);
        MoeFusionSpec spec = spec();
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(refs)
                .optRule(CombinationRule.EXP_NEG_KL_MI)
                .build();
        BatchWeightsProbe probe = new BatchWeightsProbe(spec.modalityCount());
        Path checkpoints = tmp.resolve("checkpoints");
        Engine.getInstance().setRandomSeed((int) SEED);
        try (Model model = Model.newInstance("fusion")) {
            model.setBlock(new MoeFusionBlock(spec));
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                            .build())
                    .addTrainingListeners(TrainingListener.Defaults.logging())
                    .addTrainingListeners(new SaveModelTrainingListener(checkpoints.toString()))
                    .addTrainingListeners(
                            EarlyStoppingListener.builder().optEpochPatience(4).build())
                    .addTrainingListeners(btw, probe);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(((MoeFusionBlock) model.getBlock()).inputShapes(32));
                try {
                    EasyTrain.fit(trainer, 8, train, val);
                } catch (EarlyStoppingListener.EarlyStoppedException stopped) {
                    // DJL's early stopping ends fit this way; the model is trained
                }
                double[][] testW = btw.inferenceWeights(trainer, Split.TEST, test);
                Predictions p = FusionPredictions.predict(trainer, test, testW);
                double mae =
                        ValidationMonitor.of(Task.REGRESSION, test.splitData().labels(), p);
                double baseline = meanBaselineMae(data);
                System.out.printf(
                        "DJL Trainer + BTW listener: test MAE %.3f, predict-the-mean %.3f, %d refreshes,"
                                + " batch |w-1| per epoch %s%n",
                        mae, baseline, btw.history().size(), probe.maxDeviation);
                assertTrue(mae < 0.5 * baseline, "test MAE " + mae + " against the mean's " + baseline);
            }
        }
        WeightsHistory h = btw.history();
        assertTrue(h.size() >= 2, "refreshes: " + h.size());
        assertEquals(0.0, probe.maxDeviation.get(0), "the first epoch trains under unit weights");
        assertTrue(
                probe.maxDeviation.get(h.records().get(0).epoch()) > 0.1,
                "the epoch after the first refresh trains under BTW weights: " + probe.maxDeviation);
        double[][] w = train.weights();
        double signal = 0;
        double noise = 0;
        for (double[] row : w) {
            signal += row[0];
            noise += row[2];
        }
        assertTrue(
                noise < signal,
                "the noise modality's mean weight " + noise / w.length + " is below the signal's " + signal / w.length);
        try (Stream<Path> files = Files.list(checkpoints)) {
            assertTrue(
                    files.anyMatch(f -> f.getFileName().toString().endsWith(".params")),
                    "SaveModelTrainingListener wrote the parameters");
        }
    }

    private static double meanBaselineMae(FusionData data) {
        double[] y = data.split(Split.TRAIN).labels();
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double[] t = data.split(Split.TEST).labels();
        double s = 0;
        for (double v : t) {
            s += Math.abs(v - mean);
        }
        return s / t.length;
    }

    /**
     * With the parameters held fixed (learning rate 0 in both optimisers) the only state that changes is BTW's:
     * the two paths then see identical models, and their histories must be identical, refresh by refresh. With
     * learning, they differ by construction (see docs/PLUGIN.md): a different optimiser, batch order and gating
     * noise.
     */
    @Test
    void sameWeightsHistoryAsTheCliLoopWhenOnlyBtwStateChanges() throws Exception {
        FusionData data = SyntheticFusion.data(240, 11);
        References refs = SyntheticFusion.references(data);
        BtwSettings options =
                ConfigDefaults.BTW.withRule(CombinationRule.KL_MI).withTrigger(RefreshTrigger.EVERY_EPOCH);
        int epochs = 4;
        Path cliDir = tmp.resolve("cli");
        new FusionRun(
                        data,
                        spec(),
                        new TrainSettings(epochs, 32, 0.0, 0.0, 0.0, 100, 0.5, 100),
                        options,
                        refs,
                        Device.cpu(),
                        SEED,
                        null,
                        cliDir)
                .run(false);

        Standardisation scale = FusionRun.labelScale(data);
        FusionDataset train = dataset(data, Split.TRAIN, scale, true);
        FusionDataset val = dataset(data, Split.VAL, scale, false);
        Path djlDir = tmp.resolve("djl");
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(refs)
                .optSettings(options)
                .optWeightsDirectory(djlDir)
                .build();
        try (Model model = Model.newInstance("fusion")) {
            model.setBlock(new MoeFusionBlock(spec()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0f))
                            .build())
                    .addTrainingListeners(btw);
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) SEED);
                trainer.initialize(((MoeFusionBlock) model.getBlock()).inputShapes(1));
                EasyTrain.fit(trainer, epochs, train, val);
            }
        }
        List<RefreshRecord> cli = WeightsHistory.readFrom(cliDir).records();
        List<RefreshRecord> djl = WeightsHistory.readFrom(djlDir).records();
        assertEquals(epochs, cli.size());
        assertEquals(cli.size(), djl.size());
        for (int r = 0; r < cli.size(); r++) {
            RefreshRecord a = cli.get(r);
            RefreshRecord b = djl.get(r);
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.smoothing(), b.smoothing());
            assertEquals(a.shares(), b.shares(), "refresh " + (r + 1));
            for (String m : data.modalities()) {
                double[] x = a.weights().column(m);
                double[] y = b.weights().column(m);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], 0.0, "refresh " + (r + 1) + ", " + m + ", instance " + i);
                }
            }
        }
        // the weights did move between refreshes, so the identity above is not that of constants
        double moved = 0;
        double[] first = cli.get(0).weights().column("signal");
        double[] last = cli.get(cli.size() - 1).weights().column("signal");
        for (int i = 0; i < first.length; i++) {
            moved = Math.max(moved, Math.abs(first[i] - last[i]));
        }
        assertTrue(moved > 1e-3, "weights moved by " + moved);
    }

    /**
     * One path: {@code btw train}'s run ({@link FusionRun}) and a DJL user's program built from the plugin's public
     * parts (a seeded {@link MoeFusionBlock}, {@link FusionDataset}s with an {@link EpochShuffleSampler},
     * {@link FusedAdam} (clipping the gradients' norm) under {@link PlateauLearningRate}, {@link StepSeeds} and the
     * {@link BtwTrainingListener}, {@code EasyTrain.fit}) learn the same model: the same weights history, refresh by
     * refresh, the same validation monitors and the same test predictions, to the last bit.
     */
    @Test
    void btwTrainAndThePluginPathAreOnePath() throws Exception {
        FusionData data = SyntheticFusion.data(240, 13);
        References refs = SyntheticFusion.references(data);
        BtwSettings options =
                ConfigDefaults.BTW.withRule(CombinationRule.EXP_NEG_KL_MI).withTrigger(RefreshTrigger.EVERY_EPOCH);
        int epochs = 4;
        TrainSettings settings = new TrainSettings(epochs, 32, 5e-3, 1e-4, 0.5, 100, 0.5, 1);
        Path cliDir = tmp.resolve("cli");
        FusionRun.Outcome cli =
                new FusionRun(data, spec(), settings, options, refs, Device.cpu(), SEED, null, cliDir).run(false);

        Standardisation scale = FusionRun.labelScale(data);
        EpochShuffleSampler sampler = new EpochShuffleSampler(32, SEED);
        FusionDataset train = FusionDataset.builder()
                .setTask(Task.REGRESSION)
                .setSplitData(data.split(Split.TRAIN))
                .optLabelScale(scale)
                .setSampling(sampler)
                .build();
        FusionDataset val = dataset(data, Split.VAL, scale, false);
        FusionDataset test = dataset(data, Split.TEST, scale, false);
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(refs)
                .optSettings(options)
                .build();
        Predictions djlTest;
        try (Model model = Model.newInstance("fusion")) {
            Engine.getInstance().setRandomSeed((int) SEED);
            MoeFusionBlock block = new MoeFusionBlock(spec());
            block.initialize(model.getNDManager());
            TrainingNoise noise = new TrainingNoise();
            block.setTrainingNoise(noise);
            model.setBlock(block);
            PlateauLearningRate lr = PlateauLearningRate.builder()
                    .setBaseValue(5e-3f)
                    .setMonitor(btw::lastValidationMonitor, btw.higherIsBetter())
                    .optFactor(0.5)
                    .optPatience(1)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(FusedAdam.builder()
                            .setParameters(block.getParameters())
                            .optLearningRateTracker(lr)
                            .optWeightDecays(1e-4f)
                            .optClipGradNorm(0.5f)
                            .build())
                    .addTrainingListeners(btw, lr, new StepSeeds(SEED, noise, sampler));
            try (Trainer trainer = model.newTrainer(config)) {
                EasyTrain.fit(trainer, epochs, train, null);
                djlTest = FusionPredictions.predict(trainer, test, btw.inferenceWeights(trainer, Split.TEST, test));
            }
        }
        assertEquals(cli.state().valMonitor, btw.validationMonitors());
        List<RefreshRecord> a = WeightsHistory.readFrom(cliDir).records();
        List<RefreshRecord> b = btw.history().records();
        assertEquals(epochs, a.size(), "every-epoch: one refresh per epoch");
        assertEquals(a.size(), b.size());
        for (int r = 0; r < a.size(); r++) {
            assertEquals(a.get(r).shares(), b.get(r).shares(), "refresh " + (r + 1));
            for (String m : data.modalities()) {
                assertArrayEquals(
                        a.get(r).weights().column(m), b.get(r).weights().column(m), 0.0, m);
            }
        }
        Predictions cliTest = cli.predictions().get(Split.TEST);
        for (int i = 0; i < cliTest.values().length; i++) {
            assertArrayEquals(cliTest.values()[i], djlTest.values()[i], 0.0, "test instance " + i);
        }
        double baseline = meanBaselineMae(data);
        double last = btw.validationMonitors().get(epochs - 1);
        assertTrue(last < baseline, "the model learned: val MAE " + last + " against the mean's " + baseline);
    }
}

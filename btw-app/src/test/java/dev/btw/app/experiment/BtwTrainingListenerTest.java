package dev.btw.app.experiment;

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
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.RefreshRecord;
import dev.btw.core.weights.WeightsHistory;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.BtwOptions;
import dev.btw.djl.training.BtwTrainingListener;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionPredictions;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.ValidationMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        BtwOptions options = BtwOptions.defaults(CombinationRule.KL_MI).withEveryEpoch(true);
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
                .optOptions(options)
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
     * With learning, the two paths differ by construction (docs/PLUGIN.md): FusionRun steps its own AdamW with
     * gradient clipping over a batch order and gating noise drawn from the seed; the DJL path steps DJL's Adam
     * over DJL's sampler order with the engine's noise. Both must learn; the measured gap between their weights
     * histories is printed.
     */
    @Test
    void listenerAndCliLoopBothLearnAndTheirGapIsMeasured() throws Exception {
        FusionData data = SyntheticFusion.data(240, 13);
        References refs = SyntheticFusion.references(data);
        BtwOptions options = BtwOptions.defaults(CombinationRule.EXP_NEG_KL_MI).withEveryEpoch(true);
        int epochs = 4;
        Path cliDir = tmp.resolve("cli");
        long t0 = System.nanoTime();
        FusionRun.Outcome cli = new FusionRun(
                        data,
                        spec(),
                        new TrainSettings(epochs, 32, 5e-3, 0.0, 0.0, 100, 0.5, 100),
                        options,
                        refs,
                        Device.cpu(),
                        SEED,
                        null,
                        cliDir)
                .run(false);
        long cliNanos = System.nanoTime() - t0;

        Standardisation scale = FusionRun.labelScale(data);
        FusionDataset train = dataset(data, Split.TRAIN, scale, true);
        FusionDataset val = dataset(data, Split.VAL, scale, false);
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(refs)
                .optOptions(options)
                .build();
        t0 = System.nanoTime();
        try (Model model = Model.newInstance("fusion")) {
            model.setBlock(new MoeFusionBlock(spec()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(5e-3f))
                            .build())
                    .addTrainingListeners(btw);
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) SEED);
                trainer.initialize(((MoeFusionBlock) model.getBlock()).inputShapes(1));
                EasyTrain.fit(trainer, epochs, train, val);
            }
        }
        long djlNanos = System.nanoTime() - t0;
        double baseline = meanBaselineMae(data);
        List<Double> cliMonitors = cli.state().valMonitor;
        List<Double> djlMonitors = btw.validationMonitors();
        List<RefreshRecord> a = WeightsHistory.readFrom(cliDir).records();
        List<RefreshRecord> b = btw.history().records();
        assertEquals(a.size(), b.size(), "every-epoch: one refresh per epoch on both paths");
        StringBuilder gaps = new StringBuilder();
        for (int r = 0; r < a.size(); r++) {
            double gap = 0;
            for (String m : data.modalities()) {
                double[] x = a.get(r).weights().column(m);
                double[] y = b.get(r).weights().column(m);
                for (int i = 0; i < x.length; i++) {
                    gap = Math.max(gap, Math.abs(x[i] - y[i]));
                }
            }
            gaps.append(String.format(
                    " refresh %d: max|dW| %.3f, shares cli %s djl %s;",
                    r + 1, gap, rounded(a.get(r).shares()), rounded(b.get(r).shares())));
        }
        System.out.printf(
                "CLI loop vs DJL listener, %d epochs, same data and seed:%s val MAE cli %s djl %s "
                        + "(mean baseline %.3f); wall time cli %.1f s, djl %.1f s (ratio %.2f, shared machine)%n",
                epochs,
                gaps,
                cliMonitors,
                djlMonitors,
                baseline,
                cliNanos / 1e9,
                djlNanos / 1e9,
                (double) djlNanos / cliNanos);
        assertTrue(cliMonitors.get(epochs - 1) < 0.6 * baseline, "CLI loop learned: " + cliMonitors);
        assertTrue(djlMonitors.get(epochs - 1) < 0.6 * baseline, "DJL path learned: " + djlMonitors);
    }

    private static String rounded(Map<String, Double> shares) {
        StringBuilder sb = new StringBuilder("{");
        shares.forEach((k, v) ->
                sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(String.format("%.3f", v)));
        return sb.append('}').toString();
    }
}

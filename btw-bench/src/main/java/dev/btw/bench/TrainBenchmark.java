package dev.btw.bench;

import ai.djl.Device;
import ai.djl.metric.Metrics;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.btw.app.experiment.BatchLoss;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionModel;
import dev.btw.app.experiment.FusionRun;
import dev.btw.app.experiment.MallocTuning;
import dev.btw.app.experiment.TrainSettings;
import dev.btw.core.Task;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Split;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.BtwWeightsRefresher;
import dev.btw.djl.training.EpochShuffleSampler;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.StepSeeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training throughput of the fusion model on generated data (the figures of {@code btw bench train}): one
 * warm-up epoch, then timed epochs; and the time of one BTW refresh (the fused model's train-set prediction plus
 * btw-core's refresh with KSG mutual information and EMA) as a share of an epoch.
 *
 * <p>Data: modality m has {@code dims[m]} standard-normal features; the label is the sum of the first feature of
 * every modality plus N(0, 0.1^2) noise; the unimodal references predict the label plus noise of standard
 * deviation 0.5, 1.0, 1.5, ...
 */
public final class TrainBenchmark {

    /** The measured figures. */
    public record Result(
            double trainSamplesPerSecond,
            double epochSeconds,
            double refreshSeconds,
            double refreshShare,
            double lastLoss,
            double forwardMs,
            double backwardMs,
            double optimiserMs,
            boolean fusedOptimiser,
            boolean mallocTuned,
            double refreshPredictSeconds) {}

    private TrainBenchmark() {}

    /**
     * @param spec the model (its modalities define the data widths)
     * @param n training instances
     * @param batch instances per step
     * @param epochs timed epochs after one warm-up epoch
     * @param seed data and model seed
     * @return the figures
     */
    public static Result run(MoeFusionSpec spec, int n, int batch, int epochs, long seed) {
        return run(spec, n, batch, epochs, seed, Device.cpu());
    }

    /**
     * @param spec the model (its modalities define the data widths)
     * @param n training instances
     * @param batch instances per step
     * @param epochs timed epochs after one warm-up epoch
     * @param seed data and model seed
     * @param device where the model trains
     * @return the figures
     */
    public static Result run(MoeFusionSpec spec, int n, int batch, int epochs, long seed, Device device) {
        Random r = new Random(seed);
        Map<String, Integer> dims = spec.inputDims();
        Map<String, float[]> feats = new LinkedHashMap<>();
        Map<String, boolean[]> present = new LinkedHashMap<>();
        double[] y = new double[n];
        for (Map.Entry<String, Integer> e : dims.entrySet()) {
            int d = e.getValue();
            float[] f = new float[n * d];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                y[i] += f[i * d];
            }
            feats.put(e.getKey(), f);
            boolean[] p = new boolean[n];
            Arrays.fill(p, true);
            present.put(e.getKey(), p);
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
            y[i] += 0.1 * r.nextGaussian();
        }
        SplitData train = new SplitData(ids, dims, feats, present, y);
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, train);
        }
        FusionData data = new FusionData(Task.REGRESSION, dims, List.of(), splits);
        References refs = new References();
        int k = 0;
        for (String m : dims.keySet()) {
            double noise = 0.5 * (++k);
            double[][] v = new double[n][];
            for (int i = 0; i < n; i++) {
                v[i] = new double[] {y[i] + noise * r.nextGaussian()};
            }
            Predictions p = new Predictions(ids, v);
            Map<Split, Predictions> bySplit = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                bySplit.put(s, p);
            }
            refs.put(m, bySplit, noise);
        }

        double[][] ones = new double[n][dims.size()];
        for (double[] row : ones) {
            Arrays.fill(row, 1.0);
        }
        try (FusionModel model = new FusionModel(spec, Task.REGRESSION, device, seed)) {
            // the path btw train takes: DJL's Trainer with the plugin's dataset, loss, optimiser and listeners
            FusionDataset dataset = FusionDataset.builder()
                    .setTask(Task.REGRESSION)
                    .setSplitData(train)
                    .setSampling(new EpochShuffleSampler(batch, seed))
                    .build();
            FusedAdam opt = model.optimiser(Tracker.fixed(1e-4f), 1e-4f, 0.8f);
            float[] loss = new float[1];
            long timed = 0;
            double[] profile = new double[4];
            try (Trainer trainer = model.newTrainer(
                    opt, new BatchLoss((l, b) -> loss[0] = l), new StepSeeds(seed, model.noise(), null))) {
                for (int epoch = 0; epoch <= epochs; epoch++) {
                    if (epoch == 1) {
                        trainer.setMetrics(new Metrics());
                    }
                    long t0 = System.nanoTime();
                    EasyTrain.fit(trainer, 1, dataset, null);
                    if (epoch > 0) {
                        timed += System.nanoTime() - t0;
                    }
                }
                Metrics metrics = trainer.getMetrics();
                profile[0] = meanNanos(metrics, "forward");
                profile[1] = meanNanos(metrics, "backward");
                profile[2] = meanNanos(metrics, "step");
            } catch (IOException | TranslateException e) {
                throw new IllegalStateException("benchmark training failed: " + e.getMessage(), e);
            }
            double epochSeconds = timed / 1e9 / epochs;
            BtwSettings options =
                    ConfigDefaults.BTW.withRule(CombinationRule.KL_MI).withTrigger(RefreshTrigger.EVERY_EPOCH);
            FusionRun helper = new FusionRun(
                    data,
                    spec,
                    new TrainSettings(1, batch, 1e-4, 1e-4, 0.8, 10, 0.5, 20),
                    options,
                    refs,
                    device,
                    seed,
                    null,
                    null);
            BtwWeightsRefresher listener = new BtwWeightsRefresher(options, Task.REGRESSION, train, refs, 1.0, null);
            listener.onEpoch(1, true, () -> helper.predict(model, train, listener.trainWeights()));
            long best = Long.MAX_VALUE;
            long predictBest = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long before = listener.refreshNanos();
                long[] predictNanos = new long[1];
                listener.onEpoch(2 + i, true, () -> {
                    long p0 = System.nanoTime();
                    Predictions p = helper.predict(model, train, listener.trainWeights());
                    predictNanos[0] = System.nanoTime() - p0;
                    return p;
                });
                long took = listener.refreshNanos() - before;
                if (took < best) {
                    best = took;
                    predictBest = predictNanos[0];
                }
            }
            double refreshSeconds = best / 1e9;
            return new Result(
                    n * (double) epochs / (timed / 1e9),
                    epochSeconds,
                    refreshSeconds,
                    refreshSeconds / epochSeconds,
                    loss[0],
                    profile[0] / 1e6,
                    profile[1] / 1e6,
                    profile[2] / 1e6,
                    opt.isFused(),
                    MallocTuning.apply(),
                    predictBest / 1e9);
        }
    }

    private static double meanNanos(Metrics metrics, String name) {
        if (!metrics.hasMetric(name)) {
            return Double.NaN;
        }
        return metrics.getMetric(name).stream()
                .mapToDouble(m -> m.getValue().doubleValue())
                .average()
                .orElse(Double.NaN);
    }
}

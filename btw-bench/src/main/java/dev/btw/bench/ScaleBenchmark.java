package dev.btw.bench;

import ai.djl.Device;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.experiment.BatchLoss;
import dev.btw.app.experiment.DeviceChoice;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.FusionModel;
import dev.btw.app.experiment.FusionRun;
import dev.btw.app.experiment.StoreFeatures;
import dev.btw.app.experiment.SyntheticManifest;
import dev.btw.app.experiment.TrainSettings;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.EmaSmoother;
import dev.btw.core.weights.RefreshResult;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.EpochShuffleSampler;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.StepSeeds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The figures of {@code btw bench scale} for one n, measured the way a user runs {@code btw encode} then
 * {@code btw train}: {@link #encode} writes generated precomputed embeddings as one {@code .npy} matrix per modality
 * with a manifest and a config, and fills the feature store; {@link #train} loads them as training data
 * ({@link StoreFeatures}: rows stay memory-mapped), trains one epoch of one method (unit weights, as
 * {@code uniform}; BTW methods run the same step with other weights), runs one evaluation pass (the fused model's
 * predictions for the val and test splits, in batches), and one BTW refresh (btw-core's KSG mutual information,
 * Gaussian KL and EMA) over the train split. Peak resident memory is the process's {@code VmHWM}, so run each phase
 * of each n in its own process.
 *
 * <p>Data: modality m has {@code dims[m]} standard-normal features; the regression label is the sum of every
 * modality's first feature plus N(0, 0.1^2); splits are 80/10/10 by row. The refresh's inputs are generated as
 * {@code btw bench train}'s: the fused prediction is the label plus N(0, 0.3^2), the unimodal references' the label
 * plus noise of standard deviation 0.5, 1.0, 1.5, ...
 */
public final class ScaleBenchmark {

    /**
     * What {@code btw encode} cost: writing the data, then validating the matrices and filling the feature store.
     *
     * @param n instances
     * @param featureBytes float32 bytes of all modalities' vectors, n x sum(dims) x 4
     * @param generateSeconds writing the matrices and the manifest
     * @param encodeSeconds {@code btw encode}: validating the matrices and filling the feature store
     * @param peakRssBytes the process's peak resident set ({@code VmHWM}) so far, 0 when unknown
     */
    public record EncodeFigures(
            int n, long featureBytes, double generateSeconds, double encodeSeconds, long peakRssBytes) {

        /** @return the memory goal: 1.5 x the feature bytes plus 1 GiB */
        public long rssGoalBytes() {
            return featureBytes + featureBytes / 2 + (1L << 30);
        }
    }

    /**
     * What training cost, on a store {@link #encode} filled.
     *
     * @param loadSeconds reading the store as training data ({@code btw train}'s validation and reuse check included)
     * @param trainInstances instances trained on (the train split, or fewer when the steps were limited)
     * @param epochSeconds their wall time
     * @param epochCpuSeconds their CPU time on the training thread (steadier on a shared machine)
     * @param evalInstances instances of the evaluation pass (the val and test splits)
     * @param evalSeconds predictions for them, in batches of 256
     * @param refreshInstances instances of the BTW refresh (the train split)
     * @param refreshSeconds one BTW refresh over the train split
     * @param peakRssBytes the process's peak resident set ({@code VmHWM}), 0 when unknown
     * @param rssAfterLoadBytes resident set after loading ({@code VmRSS}), 0 when unknown
     * @param lastLoss the last batch loss
     */
    public record TrainFigures(
            double loadSeconds,
            int trainInstances,
            double epochSeconds,
            double epochCpuSeconds,
            int evalInstances,
            double evalSeconds,
            int refreshInstances,
            double refreshSeconds,
            long peakRssBytes,
            long rssAfterLoadBytes,
            double lastLoss) {

        /** @return training instances per second */
        public double instancesPerSecond() {
            return trainInstances / epochSeconds;
        }

        /** @return training instances per CPU second of the training thread */
        public double instancesPerCpuSecond() {
            return trainInstances / epochCpuSeconds;
        }
    }

    private ScaleBenchmark() {}

    /**
     * Writes the data for one n into a fresh folder and encodes it into the feature store there, as
     * {@code btw encode --config work/config.yaml} would.
     *
     * @param n instances
     * @param dims widths of the modalities
     * @param work an empty folder for the data and the feature store (left in place)
     * @param seed data seed
     * @return the figures
     */
    public static EncodeFigures encode(int n, int[] dims, Path work, long seed) {
        long t0 = System.nanoTime();
        Path config = generate(n, dims, work, seed);
        long t1 = System.nanoTime();
        ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of()))
                .build()
                .run();
        long t2 = System.nanoTime();
        debug("encoded");
        long featureBytes = 4L * n * Arrays.stream(dims).asLongStream().sum();
        return new EncodeFigures(n, featureBytes, (t1 - t0) / 1e9, (t2 - t1) / 1e9, procStatus("VmHWM"));
    }

    /**
     * Loads the data {@link #encode} wrote as {@code btw train} does, trains one epoch (or {@code maxSteps} steps of
     * it) of one method on one thread, runs the evaluation pass over the val and test splits, and times one BTW
     * refresh over the train split.
     *
     * @param work the folder {@link #encode} filled
     * @param seed model, batch-order and reference-prediction seed
     * @param maxSteps train at most this many steps of the epoch (0: the whole epoch)
     * @return the figures
     */
    public static TrainFigures train(Path work, long seed, int maxSteps) {
        long t2 = System.nanoTime();
        BtwConfig cfg = BtwConfig.load(work.resolve("config.yaml"), List.of());
        FusionData data = StoreFeatures.load(cfg, EncodeProgress.NONE);
        long t3 = System.nanoTime();
        long rssAfterLoad = procStatus("VmRSS");
        debug("loaded");
        DeviceChoice.setThreads(1);
        MoeFusionSpec spec = FusionExperiment.spec(cfg, data);
        TrainSettings settings = TrainSettings.of(cfg.train());
        SplitData train = data.split(Split.TRAIN);
        int m = data.modalities().size();
        var scale = FusionRun.labelScale(data);
        try (FusionModel model = new FusionModel(spec, Task.REGRESSION, Device.cpu(), seed)) {
            // the path btw train takes: DJL's Trainer with the plugin's dataset, loss, optimiser and listeners
            FusionDataset dataset = FusionDataset.builder()
                    .setTask(Task.REGRESSION)
                    .setSplitData(train)
                    .optLabelScale(scale)
                    .setSampling(new EpochShuffleSampler(settings.batch(), seed))
                    .build();
            FusedAdam optimiser = model.optimiser(
                    Tracker.fixed((float) settings.lr()), (float) settings.weightDecay(), (float) settings.clip());
            float[] lastLoss = new float[1];
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            int n = train.size();
            int limit = maxSteps > 0 ? (int) Math.min(n, (long) maxSteps * settings.batch()) : n;
            long c0 = cpu.getCurrentThreadCpuTime();
            long e0 = System.nanoTime();
            try (Trainer trainer = model.newTrainer(
                    optimiser, new BatchLoss((l, b) -> lastLoss[0] = l), new StepSeeds(seed, model.noise(), null))) {
                int seen = 0;
                for (Batch batch : trainer.iterateDataset(dataset)) {
                    try {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                        seen += batch.getSize();
                    } finally {
                        batch.close();
                    }
                    if (seen >= limit) {
                        break;
                    }
                }
            } catch (IOException | TranslateException e) {
                throw new IllegalStateException("scale training failed: " + e.getMessage(), e);
            }
            float loss = lastLoss[0];
            long e1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            debug("trained");
            int evalInstances = 0;
            for (Split s : List.of(Split.VAL, Split.TEST)) {
                SplitData d = data.split(s);
                model.predict(d, unitWeights(d.size(), m), 256);
                evalInstances += d.size();
            }
            long e2 = System.nanoTime();
            debug("evaluated");
            Map<String, double[]> uni = new LinkedHashMap<>();
            SplittableRandom r = new SplittableRandom(seed + 17);
            double[] y = train.labels();
            double[] fused = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                fused[i] = y[i] + 0.3 * r.nextGaussian();
            }
            int k = 0;
            for (String name : data.modalities()) {
                double noise = 0.5 * (++k);
                double[] p = new double[y.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = y[i] + noise * r.nextGaussian();
                }
                uni.put(name, p);
            }
            long r0 = System.nanoTime();
            RefreshResult refreshed = BtwRefresh.builder().build().regression(train.ids(), uni, fused, y);
            new EmaSmoother().smooth(refreshed.targets());
            long r1 = System.nanoTime();
            return new TrainFigures(
                    (t3 - t2) / 1e9,
                    limit,
                    (e1 - e0) / 1e9,
                    (c1 - c0) / 1e9,
                    evalInstances,
                    (e2 - e1) / 1e9,
                    y.length,
                    (r1 - r0) / 1e9,
                    procStatus("VmHWM"),
                    rssAfterLoad,
                    loss);
        }
    }

    private static void debug(String what) {
        if (Boolean.getBoolean("btw.bench.debug")) {
            Runtime rt = Runtime.getRuntime();
            System.err.printf(
                    "%s: rss %d MB (anon %d, file %d), heap committed %d MB, used %d MB%n",
                    what,
                    procStatus("VmRSS") >> 20,
                    procStatus("RssAnon") >> 20,
                    procStatus("RssFile") >> 20,
                    rt.totalMemory() >> 20,
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
            if (Boolean.getBoolean("btw.bench.debug.gc")) {
                System.gc();
                System.err.printf(
                        "  after gc: rss %d MB (anon %d, file %d), heap used %d MB%n",
                        procStatus("VmRSS") >> 20,
                        procStatus("RssAnon") >> 20,
                        procStatus("RssFile") >> 20,
                        (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }

    private static double[][] unitWeights(int n, int m) {
        double[][] w = new double[n][m];
        for (double[] row : w) {
            Arrays.fill(row, 1.0);
        }
        return w;
    }

    /**
     * Writes the generated data set ({@link SyntheticManifest#write}).
     *
     * @param n rows
     * @param dims feature width per modality
     * @param work the folder to write into
     * @param seed the generator's seed
     * @return the config file
     */
    public static Path generate(int n, int[] dims, Path work, long seed) {
        return SyntheticManifest.write(n, dims, work, seed);
    }

    /**
     * @param key a {@code /proc/self/status} field in kB, e.g. {@code VmHWM}
     * @return its value in bytes, or 0 where there is no such file (not Linux)
     */
    public static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1)
                                    .replace("kB", "")
                                    .strip())
                            * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}

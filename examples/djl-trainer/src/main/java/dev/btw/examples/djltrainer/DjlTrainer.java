package dev.btw.examples.djltrainer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener;
import ai.djl.training.listener.SaveModelTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.weights.CombinationRule;
import dev.btw.djl.export.FusionOnnxExporter;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.serve.FusionInput;
import dev.btw.djl.serve.FusionModels;
import dev.btw.djl.serve.FusionOutput;
import dev.btw.djl.training.BtwTrainingListener;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionPredictions;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.PyTorchThreads;
import dev.btw.djl.training.References;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Your own DJL training loop with BTW, on vectors you already have (three modalities, three classes): unimodal
 * references and the fusion model trained with DJL's {@code Trainer}, {@code EasyTrain.fit}, Adam and DJL's stock
 * listeners plus {@link BtwTrainingListener}; then an ONNX export and predictions through the exported file.
 *
 * <p>It checks its own outcome and exits with status 1 when it misses: the test accuracy must reach 0.75 (the
 * majority class gives about 0.33), and the exported file must reproduce the trained block's probabilities to
 * 1e-4 on every test instance.
 */
public final class DjlTrainer {

    private static final String[] MODALITIES = {"image", "text", "sensor"};
    private static final int CLASSES = 3;

    private DjlTrainer() {}

    /** Vectors and labels of one split, as a user's pipeline would hold them (null row: modality missing). */
    record SplitArrays(Map<String, float[][]> vectors, double[] labels) {}

    /**
     * @param args optional: the output folder (default: a temporary folder)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        // One intra-op and one inter-op PyTorch thread unless set with -D: before anything loads the engine
        // (docs/PLUGIN.md, "Threads").
        PyTorchThreads.applyDefaults();
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("btw-djl-trainer");
        Map<Split, SplitArrays> data = new EnumMap<>(Split.class);
        Random random = new Random(2025);
        data.put(Split.TRAIN, simulate(300, random));
        data.put(Split.VAL, simulate(100, random));
        data.put(Split.TEST, simulate(150, random));

        // Unimodal references: one small fusion block per modality, trained with the same DJL tools.
        References references = new References();
        for (String m : MODALITIES) {
            references.put(m, trainReference(m, data), Double.NaN);
        }

        FusionDataset train = dataset(data.get(Split.TRAIN), MODALITIES, true);
        FusionDataset val = dataset(data.get(Split.VAL), MODALITIES, false);
        FusionDataset test = dataset(data.get(Split.TEST), MODALITIES, false);

        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("image", 16)
                .addModality("text", 8)
                .addModality("sensor", 4)
                .setOutputs(CLASSES)
                .optHidden(16)
                .optLayers(1)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(32)
                .optFfHidden(32)
                .optHeadHidden(16)
                .build();
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(references)
                .optRule(CombinationRule.EXP_NEG_KL_MI)
                .build();
        Engine.getInstance().setRandomSeed(1111);
        try (Model model = Model.newInstance("fusion")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.CLASSIFICATION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                            .build())
                    .addTrainingListeners(TrainingListener.Defaults.logging())
                    .addTrainingListeners(new SaveModelTrainingListener(
                            out.resolve("checkpoints").toString()))
                    .addTrainingListeners(
                            EarlyStoppingListener.builder().optEpochPatience(3).build())
                    .addTrainingListeners(btw);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(block.inputShapes(32));
                try {
                    EasyTrain.fit(trainer, 8, train, val);
                } catch (EarlyStoppingListener.EarlyStoppedException e) {
                    System.out.println("early stop: " + e.getMessage());
                }
                System.out.println(
                        "BTW refreshes: " + btw.history().size() + ", modality prior " + btw.modalityPrior());

                double[][] testWeights = btw.inferenceWeights(trainer, Split.TEST, test);
                Predictions fused = FusionPredictions.predict(trainer, test, testWeights);
                double accuracy = accuracy(fused.values(), data.get(Split.TEST).labels());

                Path onnx = out.resolve("fusion.onnx");
                new FusionOnnxExporter(block)
                        .export(Task.CLASSIFICATION, btw.modalityPrior())
                        .write(onnx);
                double gap = 0;
                int agree = 0;
                try (ZooModel<List<FusionInput>, List<FusionOutput>> file = FusionModels.load(onnx);
                        Predictor<List<FusionInput>, List<FusionOutput>> predictor = file.newPredictor()) {
                    List<FusionOutput> fromFile = predictor.predict(inputs(data.get(Split.TEST)));
                    for (int i = 0; i < fromFile.size(); i++) {
                        float[] p = fromFile.get(i).values();
                        for (int c = 0; c < CLASSES; c++) {
                            gap = Math.max(gap, Math.abs(p[c] - fused.values()[i][c]));
                        }
                        agree +=
                                Integer.parseInt(fromFile.get(i).predictedClass()) == argmax(fused.values()[i]) ? 1 : 0;
                    }
                }
                System.out.printf(
                        "test accuracy %.3f; ONNX file %s: largest probability gap %.2e, %d/%d same " + "class%n",
                        accuracy, onnx.getFileName(), gap, agree, test.size());
                if (accuracy < 0.75 || gap > 1e-4 || agree != test.size()) {
                    System.err.println("djl-trainer: outcome missed (accuracy >= 0.75, file parity 1e-4)");
                    System.exit(1);
                }
            }
        }
        System.out.println("djl-trainer: OK");
    }

    /** Three classes; image: the class centroid plus noise; text: a weaker copy, missing for 15 %; sensor: noise. */
    static SplitArrays simulate(int n, Random random) {
        float[][] centroids = new float[CLASSES][16];
        Random fixed = new Random(7);
        for (float[] c : centroids) {
            for (int k = 0; k < c.length; k++) {
                c[k] = (float) fixed.nextGaussian() * 0.6f;
            }
        }
        Map<String, float[][]> v = new LinkedHashMap<>();
        float[][] image = new float[n][16];
        float[][] text = new float[n][];
        float[][] sensor = new float[n][4];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            int y = random.nextInt(CLASSES);
            labels[i] = y;
            for (int k = 0; k < 16; k++) {
                image[i][k] = centroids[y][k] + (float) random.nextGaussian();
            }
            if (random.nextDouble() >= 0.15) {
                text[i] = new float[8];
                for (int k = 0; k < 8; k++) {
                    text[i][k] = centroids[y][k] + 1.5f * (float) random.nextGaussian();
                }
            }
            for (int k = 0; k < 4; k++) {
                sensor[i][k] = (float) random.nextGaussian();
            }
        }
        v.put("image", image);
        v.put("text", text);
        v.put("sensor", sensor);
        return new SplitArrays(v, labels);
    }

    static FusionDataset dataset(SplitArrays s, String[] modalities, boolean shuffle) {
        FusionDataset.Builder b = FusionDataset.builder()
                .setTask(Task.CLASSIFICATION)
                .setLabels(s.labels())
                .setSampling(32, shuffle);
        for (String m : modalities) {
            b.addModality(m, s.vectors().get(m));
        }
        return b.build();
    }

    /** A unimodal reference: the fusion block on one modality, trained with DJL's Trainer; null rows where missing. */
    static Map<Split, Predictions> trainReference(String modality, Map<Split, SplitArrays> data) throws Exception {
        int d = data.get(Split.TRAIN).vectors().get(modality)[0] != null
                ? data.get(Split.TRAIN).vectors().get(modality)[0].length
                : 8;
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality(modality, d)
                .setOutputs(CLASSES)
                .optHidden(16)
                .optLayers(1)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(32)
                .optFfHidden(32)
                .optHeadHidden(16)
                .build();
        Map<Split, Predictions> out = new EnumMap<>(Split.class);
        Engine.getInstance().setRandomSeed(1111);
        try (Model model = Model.newInstance("reference-" + modality)) {
            model.setBlock(new MoeFusionBlock(spec));
            DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.CLASSIFICATION))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(((MoeFusionBlock) model.getBlock()).inputShapes(32));
                String[] one = {modality};
                EasyTrain.fit(trainer, 3, dataset(data.get(Split.TRAIN), one, true), null);
                for (Split s : Split.values()) {
                    FusionDataset ds = dataset(data.get(s), one, false);
                    double[][] ones = new double[(int) ds.size()][1];
                    for (double[] row : ones) {
                        row[0] = 1;
                    }
                    Predictions p = FusionPredictions.predict(trainer, ds, ones);
                    double[][] values = p.values();
                    float[][] rows = data.get(s).vectors().get(modality);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rows[i] == null ? null : values[i];
                    }
                    out.put(s, new Predictions(p.ids(), values));
                }
            }
        }
        return out;
    }

    static List<FusionInput> inputs(SplitArrays s) {
        List<FusionInput> out = new ArrayList<>();
        for (int i = 0; i < s.labels().length; i++) {
            FusionInput in = new FusionInput();
            for (String m : MODALITIES) {
                float[] row = s.vectors().get(m)[i];
                if (row != null) {
                    in.put(m, row);
                }
            }
            out.add(in);
        }
        return out;
    }

    static double accuracy(double[][] probabilities, double[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += argmax(probabilities[i]) == (int) labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }
}

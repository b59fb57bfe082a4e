package dev.btw.examples.djltrainer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener;
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
import dev.btw.djl.training.GradientClipping;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.PyTorchThreads;
import dev.btw.djl.training.ReferenceTrainer;
import dev.btw.djl.training.References;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Your own DJL training loop with BTW, on vectors you already hold (three modalities, three classes): the
 * unimodal references and the fusion model trained with DJL's {@code Trainer}, {@code EasyTrain.fit}, Adam and
 * DJL's stock listeners plus {@link BtwTrainingListener}; then an ONNX export and predictions from the exported
 * file, with a modality missing for some instances.
 *
 * <p>It checks its own outcome and exits with status 1 when it misses: the test accuracy must reach 0.75 (the
 * majority class gives about 0.33), and the exported file must reproduce the trained block's probabilities to
 * 1e-4 on every test instance.
 */
public final class DjlTrainer {

    private static final List<String> MODALITIES = List.of("image", "text", "sensor");
    private static final List<String> CLASSES = List.of("cat", "dog", "bird");

    private DjlTrainer() {}

    /**
     * @param args optional: the output folder (default: a temporary folder)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        // One intra-op and one inter-op PyTorch thread unless set with -D, before anything loads the engine.
        PyTorchThreads.applyDefaults();
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("btw-djl-trainer");
        Random random = new Random(2025);
        Map<Split, float[][][]> vectors = new EnumMap<>(Split.class); // [modality][instance][value]
        Map<Split, FusionDataset> data = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            int n = s == Split.TRAIN ? 300 : s == Split.VAL ? 100 : 150;
            double[] labels = new double[n];
            vectors.put(s, simulate(n, random, labels));
            data.put(s, dataset(vectors.get(s), labels, s == Split.TRAIN));
        }
        FusionDataset train = data.get(Split.TRAIN);
        FusionDataset val = data.get(Split.VAL);
        FusionDataset test = data.get(Split.TEST);

        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("image", 16)
                .addModality("text", 8)
                .addModality("sensor", 4)
                .setOutputs(CLASSES.size())
                .optHidden(16)
                .optLayers(1)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(32)
                .optFfHidden(32)
                .optHeadHidden(16)
                .build();

        // The unimodal references: the spec restricted to each modality, trained with DJL's Trainer.
        References references =
                ReferenceTrainer.builder().setSpec(spec).optEpochs(3).build().train(data);

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
                    .addTrainingListeners(new GradientClipping(1.0f))
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
                System.out.println("BTW: " + btw.history() + "; best epoch " + btw.bestEpoch());

                double[][] testWeights = btw.inferenceWeights(trainer, Split.TEST, test);
                Predictions fused = FusionPredictions.predict(trainer, test, testWeights);
                double accuracy = accuracy(fused.values(), test.splitData().labels());

                Path onnx = out.resolve("fusion.onnx");
                new FusionOnnxExporter(block)
                        .optClasses(CLASSES)
                        .export(Task.CLASSIFICATION, btw.modalityPrior())
                        .write(onnx);

                // Serve the file through ONNX Runtime: an input without "text" has that modality missing.
                double gap = 0;
                int agree = 0;
                try (ZooModel<List<FusionInput>, List<FusionOutput>> file = FusionModels.load(onnx);
                        Predictor<List<FusionInput>, List<FusionOutput>> predictor = file.newPredictor()) {
                    List<FusionOutput> fromFile = predictor.predict(inputs(vectors.get(Split.TEST)));
                    for (int i = 0; i < fromFile.size(); i++) {
                        float[] p = fromFile.get(i).values();
                        for (int c = 0; c < CLASSES.size(); c++) {
                            gap = Math.max(gap, Math.abs(p[c] - fused.values()[i][c]));
                        }
                        agree += fromFile.get(i).predictedIndex() == argmax(fused.values()[i]) ? 1 : 0;
                    }
                    FusionOutput first = fromFile.get(0);
                    System.out.println("first test instance: " + first.predictedClass() + ", " + first.probabilities()
                            + ", text weight " + first.weightOf("text"));
                }
                System.out.printf(
                        "test accuracy %.3f; ONNX file %s: largest probability gap %.2e, %d/%d same class%n",
                        accuracy, onnx.getFileName(), gap, agree, test.size());
                if (accuracy < 0.75 || gap > 1e-4 || agree != test.size()) {
                    System.err.println("djl-trainer: outcome missed (accuracy >= 0.75, file parity 1e-4)");
                    System.exit(1);
                }
            }
        }
        System.out.println("djl-trainer: OK");
    }

    /**
     * Your pipeline's vectors, here simulated: image is the class centroid plus noise; text a weaker copy, missing
     * (a null row) for 15 %; sensor pure noise.
     */
    static float[][][] simulate(int n, Random random, double[] labels) {
        float[][] centroids = new float[CLASSES.size()][16];
        Random fixed = new Random(7);
        for (float[] c : centroids) {
            for (int k = 0; k < c.length; k++) {
                c[k] = (float) fixed.nextGaussian() * 0.6f;
            }
        }
        float[][][] v = {new float[n][16], new float[n][], new float[n][4]};
        for (int i = 0; i < n; i++) {
            int y = random.nextInt(CLASSES.size());
            labels[i] = y;
            for (int k = 0; k < 16; k++) {
                v[0][i][k] = centroids[y][k] + (float) random.nextGaussian();
            }
            if (random.nextDouble() >= 0.15) {
                v[1][i] = new float[8];
                for (int k = 0; k < 8; k++) {
                    v[1][i][k] = centroids[y][k] + 1.5f * (float) random.nextGaussian();
                }
            }
            for (int k = 0; k < 4; k++) {
                v[2][i][k] = (float) random.nextGaussian();
            }
        }
        return v;
    }

    static FusionDataset dataset(float[][][] vectors, double[] labels, boolean shuffle) {
        FusionDataset.Builder b = FusionDataset.builder()
                .setTask(Task.CLASSIFICATION)
                .setLabels(labels)
                .setSampling(32, shuffle);
        for (int m = 0; m < MODALITIES.size(); m++) {
            b.addModality(MODALITIES.get(m), vectors[m]);
        }
        return b.build();
    }

    static List<FusionInput> inputs(float[][][] vectors) {
        List<FusionInput> out = new ArrayList<>();
        for (int i = 0; i < vectors[0].length; i++) {
            FusionInput in = new FusionInput();
            for (int m = 0; m < MODALITIES.size(); m++) {
                if (vectors[m][i] != null) {
                    in.put(MODALITIES.get(m), vectors[m][i]);
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

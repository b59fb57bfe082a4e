package dev.btw.djl.training;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.core.math.Softmax;
import java.util.function.Function;

/**
 * The fusion block's predictions for every instance of a {@link FusionDataset}, in evaluation mode (no noise, no
 * dropout), in batches of 256 as {@code btw train} predicts: values on the original label scale (the dataset's
 * label scaling undone) for regression, class probabilities for classification.
 */
public final class FusionPredictions {

    /** Instances per forward pass, as {@code btw train} predicts. */
    public static final int BATCH = 256;

    private FusionPredictions() {}

    /**
     * Predicts through a trainer (its parameter store and devices), e.g. inside a listener.
     *
     * @param trainer the trainer
     * @param dataset the instances
     * @param weights BTW weights {@code [n][M]}: for data outside training, the label-free weights of the
     *     inference policy, {@code listener.inferenceWeights(trainer, split, dataset)}; or
     *     {@code dataset.weights()}, the weights the dataset carries
     * @return the predictions
     * @throws IllegalArgumentException when an argument is null, or the weights do not fit the dataset
     */
    public static Predictions predict(Trainer trainer, FusionDataset dataset, double[][] weights) {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer is null");
        }
        check(dataset, weights);
        try (NDManager sub = trainer.getManager().newSubManager()) {
            return predict(sub, trainer::evaluate, dataset, weights);
        }
    }

    /**
     * Predicts with a trained model (after {@code EasyTrain.fit}, or a model loaded from a DJL checkpoint).
     *
     * @param model the model, its block a {@link dev.btw.djl.model.MoeFusionBlock}
     * @param dataset the instances
     * @param weights BTW weights {@code [n][M]}, as for {@link #predict(Trainer, FusionDataset, double[][])}
     * @return the predictions
     * @throws IllegalArgumentException when an argument is null, or the weights do not fit the dataset
     */
    public static Predictions predict(Model model, FusionDataset dataset, double[][] weights) {
        if (model == null) {
            throw new IllegalArgumentException("model is null");
        }
        check(dataset, weights);
        try (NDManager sub = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(sub, false);
            return predict(sub, x -> model.getBlock().forward(ps, x, false), dataset, weights);
        }
    }

    private static void check(FusionDataset dataset, double[][] weights) {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset is null");
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights is null: pass the label-free weights of the inference policy, "
                    + "listener.inferenceWeights(trainer, split, dataset), or the dataset's own, dataset.weights()");
        }
        FusionDataset.checkWeights(weights, dataset.splitData().size(), dataset.modalities());
    }

    private static Predictions predict(
            NDManager sub, Function<NDList, NDList> forward, FusionDataset dataset, double[][] weights) {
        int n = dataset.splitData().size();
        Standardisation scale = dataset.labelScale();
        boolean regression = dataset.task() == Task.REGRESSION;
        double[][] out = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            try (NDManager step = sub.newSubManager()) {
                NDList inputs = dataset.batchInputs(step, from, to, weights);
                float[] v = forward.apply(inputs).get(0).toFloatArray();
                int width = v.length / (to - from);
                for (int i = 0; i < to - from; i++) {
                    float[] row = new float[width];
                    System.arraycopy(v, i * width, row, 0, width);
                    if (regression) {
                        double y = row[0];
                        out[from + i] = new double[] {scale == null ? y : y * scale.std()[0] + scale.mean()[0]};
                    } else {
                        out[from + i] = Softmax.of(row);
                    }
                }
            }
        }
        return new Predictions(dataset.splitData().ids(), out);
    }
}

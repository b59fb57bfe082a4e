package dev.btw.app.experiment;

import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.tracker.Tracker;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.StepSeeds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Test helper: given batches of a split trained through DJL's Trainer as btw train trains (FusedAdam, clipping). */
final class TrainerSteps {

    private TrainerSteps() {}

    /** A sampler that serves fixed batches, in order. */
    private record FixedBatches(int[][] rows) implements Sampler {
        @Override
        public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
            List<List<Long>> out = new ArrayList<>();
            for (int[] r : rows) {
                List<Long> b = new ArrayList<>();
                for (int i : r) {
                    b.add((long) i);
                }
                out.add(b);
            }
            return out.iterator();
        }

        @Override
        public int getBatchSize() {
            return rows[0].length;
        }
    }

    /**
     * @param model the model (with fine-tuned encoders, the split's ids must be the ones it was given, from 0)
     * @param split the data
     * @param weights BTW weights per instance, or null for ones
     * @param rows the rows of each step
     * @param lr learning rate
     * @param weightDecay L2
     * @param clip global-norm limit, 0 for none
     * @param seed the noise seed
     * @return the loss of each step
     */
    static float[] train(
            FusionModel model,
            SplitData split,
            double[][] weights,
            int[][] rows,
            float lr,
            float weightDecay,
            float clip,
            long seed) {
        FusionDataset.Builder b = FusionDataset.builder()
                .setTask(model.task())
                .setSplitData(split)
                .setSampling(new FixedBatches(rows));
        if (model.fineTunes()) {
            b.optIndexInput(0);
        }
        FusionDataset dataset = b.build();
        if (weights != null) {
            dataset.setWeights(weights);
        }
        FusedAdam opt = model.optimiser(Tracker.fixed(lr), weightDecay, clip);
        List<Float> losses = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(
                opt, new BatchLoss((l, n) -> losses.add(l)), new StepSeeds(seed, model.noise(), null))) {
            for (Batch batch : trainer.iterateDataset(dataset)) {
                try {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                } finally {
                    batch.close();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        float[] out = new float[losses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = losses.get(i);
        }
        return out;
    }
}

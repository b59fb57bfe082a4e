package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import dev.btw.djl.training.FusedAdam;
import dev.btw.djl.training.FusionDataset;
import dev.btw.djl.training.FusionLoss;
import dev.btw.djl.training.FusionTrainer;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.StepSeeds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
        TrainingListenerAdapter loss = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                for (Map.Entry<Device, NDList> e : batchData.getPredictions().entrySet()) {
                    try (NDArray l =
                            trainer.getLoss().evaluate(batchData.getLabels().get(e.getKey()), e.getValue())) {
                        losses.add(l.getFloat());
                    }
                }
            }
        };
        DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(model.task()))
                .optOptimizer(opt)
                .optDevices(new Device[] {model.model().getNDManager().getDevice()})
                .addTrainingListeners(loss, new StepSeeds(seed, model.noise(), null));
        try (Trainer trainer = new FusionTrainer(model.model(), config)) {
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

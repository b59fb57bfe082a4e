package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.Map;

/**
 * Hands on the training loss of every batch, computed from the batch's predictions and labels with the trainer's
 * loss (DJL's trainer keeps no per-batch value): the run's epoch loss, the benchmarks' last loss.
 */
public final class BatchLoss extends TrainingListenerAdapter {

    /** Receives one batch's loss. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param loss the batch's mean loss
         * @param instances the batch's size
         */
        void accept(float loss, long instances);
    }

    private final Sink sink;

    /** @param sink receives every batch's loss */
    public BatchLoss(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        for (Map.Entry<Device, NDList> e : batchData.getPredictions().entrySet()) {
            NDList labels = batchData.getLabels().get(e.getKey());
            try (NDArray l = trainer.getLoss().evaluate(labels, e.getValue())) {
                sink.accept(l.getFloat(), labels.head().getShape().get(0));
            }
        }
    }
}

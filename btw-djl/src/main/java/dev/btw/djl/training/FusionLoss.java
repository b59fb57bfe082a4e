package dev.btw.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.btw.core.Task;

/**
 * The loss of {@link dev.btw.djl.model.MoeFusionBlock}'s two outputs {@code (prediction, aux)}: a DJL task loss
 * on the prediction ({@link Loss#l1Loss()} for regression, {@link Loss#softmaxCrossEntropyLoss()} on the logits
 * for classification) plus the auxiliary load-balancing loss times a weight. The block already scales its
 * auxiliary loss by the spec's {@code load_balance}, so the default weight 1 trains exactly what {@code btw train}
 * does.
 */
public final class FusionLoss extends Loss {

    private final Task task;
    private final Loss taskLoss;
    private final float auxWeight;

    /**
     * @param name the loss's name in DJL's metrics and logs
     * @param task regression (L1) or classification (softmax cross-entropy)
     * @param auxWeight the weight of the auxiliary loss
     */
    public FusionLoss(String name, Task task, float auxWeight) {
        super(name);
        this.task = task;
        this.taskLoss = task == Task.REGRESSION ? Loss.l1Loss() : Loss.softmaxCrossEntropyLoss();
        this.auxWeight = auxWeight;
    }

    /**
     * @param task regression (L1) or classification (softmax cross-entropy)
     * @return the task loss plus the block's auxiliary loss, named {@code FusionLoss}
     */
    public static FusionLoss of(Task task) {
        return new FusionLoss("FusionLoss", task, 1f);
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.get(0);
        NDArray label = labels.singletonOrThrow();
        if (task == Task.CLASSIFICATION) {
            label = label.toType(DataType.INT64, false)
                    .reshape(prediction.getShape().get(0));
        }
        NDArray loss = taskLoss.evaluate(new NDList(label), new NDList(prediction));
        if (predictions.size() > 1 && auxWeight != 0f) {
            loss = loss.add(predictions.get(1).mul(auxWeight));
        }
        return loss;
    }
}

/**
 * BTW for your own DJL training: a {@link ai.djl.training.dataset.RandomAccessDataset} of the fusion block's
 * inputs ({@link dev.btw.djl.training.FusionDataset}), a {@link ai.djl.training.loss.Loss} for its
 * {@code (prediction, aux)} outputs ({@link dev.btw.djl.training.FusionLoss}) and the BTW refresh as a
 * {@link ai.djl.training.listener.TrainingListener} ({@link dev.btw.djl.training.BtwTrainingListener}), so that
 * {@link dev.btw.djl.model.MoeFusionBlock} trains with DJL's {@code Trainer}, {@code EasyTrain.fit}, DJL's
 * optimisers and DJL's stock listeners.
 *
 * <pre>{@code
 * FusionDataset train = FusionDataset.builder().setTask(Task.REGRESSION)
 *         .addModality("text", textVectors).addModality("audio", audioVectors)
 *         .setLabels(y).optLabelScale(Standardisation.fit(y)).setSampling(32, true).build();
 * BtwTrainingListener btw = BtwTrainingListener.builder().setTrainDataset(train).setValidationDataset(val)
 *         .setReferences(references).build();
 * TrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
 *         .optOptimizer(Optimizer.adam().build()).addTrainingListeners(TrainingListener.Defaults.logging())
 *         .addTrainingListeners(btw);
 * }</pre>
 *
 * <p>Also here: the unimodal references ({@link dev.btw.djl.training.ReferenceTrainer} trains them with DJL's
 * {@code Trainer} under the three reference policies; {@link dev.btw.djl.training.References} takes them from
 * anywhere), what {@code btw train} adds to a loop as DJL listeners ({@link dev.btw.djl.training.GradientClipping},
 * {@link dev.btw.djl.training.PlateauLearningRate}, the listener's BTW-state checkpoints) and
 * {@link dev.btw.djl.training.PyTorchThreads}. docs/PLUGIN.md is the guide.
 *
 * <p>The refresh itself is {@link dev.btw.djl.training.BtwWeightsRefresher}, the same code the {@code btw train}
 * command's own loop calls.
 */
package dev.btw.djl.training;

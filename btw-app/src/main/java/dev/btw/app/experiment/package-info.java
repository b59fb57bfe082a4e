/**
 * The application's experiment runner behind {@code btw train}, built on the plugin ({@code dev.btw.djl.*}):
 * in-memory split data, its own optimiser (a fused AdamW) and learning-rate schedule, one training run per method
 * and seed with BTW refreshes through the plugin's refresh code, checkpoints and resume, the methods
 * ({@link dev.btw.app.experiment.Method}) and the linear baseline; the run directory is {@code dev.btw.app.run}.
 *
 * <p>Entry point: {@link dev.btw.app.experiment.FusionExperiment}; one run: {@link dev.btw.app.experiment.FusionRun}.
 */
package dev.btw.app.experiment;

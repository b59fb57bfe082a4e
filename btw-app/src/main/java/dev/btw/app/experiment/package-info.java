/**
 * The application's experiment runner, built on the plugin: in-memory split data, the optimiser and learning-rate
 * schedule, one training run per method and seed with BTW refreshes, checkpoints and resume, and the run
 * directory (resolved config, provenance, metrics, weights history, predictions, checkpoints).
 *
 * <p>Entry point: {@link dev.btw.app.experiment.FusionExperiment}; one run: {@link dev.btw.app.experiment.FusionRun}.
 */
package dev.btw.app.experiment;

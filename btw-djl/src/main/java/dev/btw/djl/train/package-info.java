/**
 * Training of the MoE fusion model with BTW weights: in-memory split data, the optimiser and learning-rate
 * schedule, one training run per method and seed with BTW refreshes, checkpoints and resume, and the run
 * directory (resolved config, provenance, metrics, weights history, predictions, checkpoints).
 *
 * <p>Entry point: {@link dev.btw.djl.train.FusionExperiment}; one run: {@link dev.btw.djl.train.FusionRun}.
 */
package dev.btw.djl.train;

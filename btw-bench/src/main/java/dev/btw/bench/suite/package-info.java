/**
 * The benchmark suite behind {@code btw bench suite}: per data set and seed, every unimodal reference,
 * {@code late-average}, {@code uniform} and the BTW rules ({@link dev.btw.bench.suite.SuitePlan}); sweeps that add
 * pure-noise modalities or a per-instance corrupted copy of the strongest modality
 * ({@link dev.btw.bench.suite.DerivedData}); paired significance tests over seeds
 * ({@link dev.btw.bench.suite.Comparison}); and the results page with its plots
 * ({@link dev.btw.bench.suite.ResultsPage}). {@link dev.btw.bench.suite.SuiteRunner} orchestrates
 * {@link dev.btw.app.experiment.FusionExperiment} runs, one run directory per data set, condition and seed.
 */
package dev.btw.bench.suite;

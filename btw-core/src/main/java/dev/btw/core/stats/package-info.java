/**
 * Significance tests for comparing methods over seeds: the paired t-test ({@link dev.btw.core.stats.PairedTTest},
 * with Student's t distribution in {@link dev.btw.core.stats.StudentT}), the exact sign test
 * ({@link dev.btw.core.stats.SignTest}) and Spearman's rank correlation ({@link dev.btw.core.stats.SpearmanCorrelation}).
 * Engine-neutral; plain arrays in, records out.
 */
package dev.btw.core.stats;

/**
 * Per-instance divergences between a modality's own prediction and the fused prediction: the categorical KL of
 * two probability vectors and the KL of two Gaussians, with the sigma policies that choose the Gaussians' widths.
 */
package dev.btw.core.divergence;

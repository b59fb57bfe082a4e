/**
 * BTW modality weights from plain arrays: one refresh ({@link dev.btw.core.weights.BtwRefresh}) combining
 * per-instance divergences with per-modality mutual information, the EMA smoothing between refreshes, the
 * label-free weights used at validation, test and inference time, and the weights tables and their history.
 * Modalities are always keyed by name. A present modality always has a positive weight; a missing one has 0.
 */
package dev.btw.core.weights;

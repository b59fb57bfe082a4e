/**
 * Predictions for a manifest with an exported fusion model: {@link dev.btw.app.predict.ManifestPredictor}
 * encodes the manifest's modalities as the config says and serves the exported file through the plugin's
 * {@link dev.btw.djl.serve.FusionModels}; {@code btw predict} is a thin layer over it.
 */
package dev.btw.app.predict;

/**
 * Manifest encoding: the application's side of the feature store. {@link dev.btw.app.encode.ManifestEncoding}
 * reads a config's manifest, resolves each modality's encoder from its spec folder and fills the plugin's
 * {@link dev.btw.app.store.FeatureStore}, resuming what a killed run left; {@link dev.btw.app.encode.ModalityCells}
 * turns manifest cells into encoder inputs.
 */
package dev.btw.app.encode;

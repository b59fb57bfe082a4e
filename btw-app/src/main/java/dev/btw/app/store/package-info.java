/**
 * The feature store: cached encoder outputs on disk, keyed by modality, encoder fingerprint and instance id.
 *
 * <p>Layout: {@code <store>/<modality>/current.json} names the fingerprint last encoded for the modality;
 * {@code <store>/<modality>/<fingerprint>/} holds {@code encoder.json} and segments, each a pair
 * {@code seg-*.f32} (little-endian float32 rows) and {@code seg-*.tsv} (one line per row: id, present flag, key of
 * the cell it was computed from). A segment's {@code .tsv} is written last, atomically: it is the segment's
 * commit mark, so a killed run leaves only whole segments. Encoding writes one segment per shard of instances, then
 * merges all segments into one; reading memory-maps the {@code .f32} files.
 */
package dev.btw.app.store;

/**
 * Data recipes: each builds a ready-to-use data set (a manifest CSV and a btw config YAML beside it) under
 * {@code $BTW_HOME/data/<name>/} from raw inputs obtained through the ordinary package clients (npm, apt),
 * pinned by version and verified by SHA-256. Builds are deterministic for a seed, atomic (staged in a temporary
 * folder, then renamed) and idempotent (a complete, checksummed result is left alone).
 *
 * <p>Start at {@link dev.btw.data.DataRecipes}; the licences of the data sets are in
 * {@link dev.btw.data.DataRecipes#NOTICE}.
 */
package dev.btw.data;

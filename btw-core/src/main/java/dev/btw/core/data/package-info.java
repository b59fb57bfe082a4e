/**
 * The data model: the manifest (one row per instance: id, split, label, and the columns modalities read) and
 * the splits.
 */
package dev.btw.core.data;

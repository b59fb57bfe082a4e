/**
 * Preprocessing that turns files into model inputs: WAV reading and resampling, image loading and normalising,
 * and reading precomputed vectors ({@code .npy}, {@code .csv}, or inline).
 */
package dev.btw.djl.encoder.preprocess;

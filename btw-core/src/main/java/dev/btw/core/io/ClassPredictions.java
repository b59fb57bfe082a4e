package dev.btw.core.io;

import java.util.List;
import java.util.Map;

/**
 * Unimodal class probabilities read from a CSV file: the instance ids, the class names, and by modality name one
 * probability row per instance ({@code [n][C]}, in class order; a null row where the modality is missing).
 *
 * @param ids instance ids, in file order
 * @param classes class names, in column order of the first modality
 * @param byModality probabilities by modality name
 */
public record ClassPredictions(List<String> ids, List<String> classes, Map<String, double[][]> byModality) {}

package dev.btw.core.io;

import java.util.List;
import java.util.Map;

/**
 * Unimodal regression predictions read from a CSV file: the instance ids and, by modality name, one prediction
 * per instance (NaN where the modality is missing).
 *
 * @param ids instance ids, in file order
 * @param byModality predictions by modality name, in column order
 */
public record RegressionPredictions(List<String> ids, Map<String, double[]> byModality) {}

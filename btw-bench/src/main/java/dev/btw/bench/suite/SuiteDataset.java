package dev.btw.bench.suite;

import java.nio.file.Path;

/**
 * One data set of the suite: its name (a recipe name, or any label) and its btw config.
 *
 * @param name the name used in the work folder and the results page
 * @param config the config file (YAML)
 */
public record SuiteDataset(String name, Path config) {}

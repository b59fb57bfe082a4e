package dev.btw.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a recipe build produced.
 *
 * @param name the recipe's name
 * @param folder the output folder
 * @param manifest the manifest CSV
 * @param config the ready-to-use btw config YAML
 * @param extraConfigs further configs beside it (variants, such as one with an extra noise modality)
 * @param rows the number of instances
 * @param splits instances per split ({@code train}, {@code val}, {@code test})
 * @param built whether this call built it ({@code false}: it was already complete and was left alone)
 * @param elapsed how long the call took
 */
public record RecipeResult(
        String name,
        Path folder,
        Path manifest,
        Path config,
        List<Path> extraConfigs,
        int rows,
        Map<String, Integer> splits,
        boolean built,
        Duration elapsed) {}

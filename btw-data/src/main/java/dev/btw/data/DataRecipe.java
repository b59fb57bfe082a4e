package dev.btw.data;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A recipe that builds one data set under {@code $BTW_HOME/data/}: a manifest CSV following the manifest contract
 * ({@code id}, {@code split}, {@code label}, then the columns the modalities read) and a {@code config.yaml}
 * beside it.
 */
public interface DataRecipe {

    /** @return the name used on the command line and as the output folder, e.g. {@code av-mnist} */
    String name();

    /** @return one line saying what the data set is */
    String description();

    /** @return the NOTICE line: sources, versions and licences of the data */
    String licence();

    /** @return the number of instances of a full build */
    int defaultSize();

    /** @return the number of instances of a quick build */
    int quickSize();

    /**
     * Builds the data set, or does nothing when a complete, checksummed build with the same options exists.
     *
     * @param home the cache root ({@code $BTW_HOME})
     * @param options size and seed
     * @param progress receives one line per step
     * @return where the manifest and config are
     * @throws dev.btw.core.BtwException when an input cannot be obtained or verified, or a tool fails
     */
    RecipeResult build(Path home, RecipeOptions options, Consumer<String> progress);
}

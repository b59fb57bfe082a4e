package dev.btw.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the recipe tests: pre-seeded raw folders and gzip files. */
final class RecipeTestSupport {

    private RecipeTestSupport() {}

    /** A fetcher that fails the test if any asset is fetched. */
    static AssetFetcher noFetching() {
        return (asset, dir) -> {
            throw new AssertionError("tried to fetch " + asset.spec() + " although the raw inputs were seeded");
        };
    }

    /**
     * Publishes {@code files} (relative name to content) as the recipe's complete raw inputs folder.
     */
    static void seedRaw(PackageRecipe recipe, Path home, Map<String, byte[]> files) throws IOException {
        Path rawDir = recipe.rawDir(home);
        Path staging = Staging.begin(rawDir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = staging.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        Staging.publish(staging, rawDir, recipe.rawStamp());
    }

    static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}

package dev.btw.data;

import dev.btw.core.asset.AssetSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the recipe tests: pre-seeded raw folders and gzip files. */
final class RecipeTestSupport {

    private RecipeTestSupport() {}

    /** A fetcher that fails the test if any asset is fetched. */
    static AssetSource noFetching() {
        return (asset, dir) -> {
            throw new AssertionError("tried to fetch " + asset.describe() + " although the raw inputs were seeded");
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

    /** Seeds a stand-in for scikit-learn's raw diabetes files: 442 seeded rows of ages, sexes and 8 measurements. */
    static void seedDiabetes(DiabetesRecipe recipe, Path home) throws IOException {
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        Random rnd = new Random(7);
        for (int i = 0; i < 442; i++) {
            x.append(20 + rnd.nextInt(60)).append(' ').append(1 + rnd.nextInt(2));
            for (int c = 0; c < 8; c++) {
                x.append(' ').append(Math.round(rnd.nextDouble() * 1000) / 10.0);
            }
            x.append('\n');
            y.append(String.format("%.18e%n", 25.0 + rnd.nextInt(320)));
        }
        seedRaw(
                recipe,
                home,
                Map.of(DiabetesRecipe.DATA, gzip(x.toString()), DiabetesRecipe.TARGET, gzip(y.toString())));
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}

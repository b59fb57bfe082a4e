package dev.btw.djl.encoder;

import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test access to the repository's spec folders and a shared asset cache under the build folder. */
public final class TestSpecs {

    private static final Path MODELS = locateModels();
    private static AssetFetcher fetcher;

    private TestSpecs() {}

    private static Path locateModels() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("models");
            }
        }
        throw new IllegalStateException("no models/ folder above " + Path.of("").toAbsolutePath());
    }

    /** @return the repository's models folder */
    public static Path models() {
        return MODELS;
    }

    /** @return a locator over the repository's models folder */
    public static SpecLocator locator() {
        return new SpecLocator(List.of(MODELS));
    }

    /**
     * @param name a spec folder name
     * @return the parsed spec
     */
    public static EncoderSpec spec(String name) {
        return locator().find(name, null);
    }

    /**
     * Loads a spec's encoder, skipping the test when its files cannot be fetched (no registry reachable).
     *
     * @param name a spec folder name
     * @return the encoder
     */
    public static Encoder encoderOrSkip(String name) {
        EncoderSpec spec = spec(name);
        try {
            spec.files().values().forEach(a -> fetcher().fetch(a));
        } catch (dev.btw.core.BtwException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot fetch " + name + ": " + e.getMessage());
        }
        return Encoders.load(spec, fetcher(), EncoderOptions.DEFAULT);
    }

    /** @return a fetcher whose cache lives in the build folder, shared by the tests of one build */
    public static synchronized AssetFetcher fetcher() {
        if (fetcher == null) {
            String dir = System.getProperty("btw.test.home");
            Path home = dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "btw-test-home");
            fetcher = new AssetFetcher(home);
        }
        return fetcher;
    }
}

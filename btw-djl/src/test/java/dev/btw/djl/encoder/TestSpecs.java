package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Test access to the repository's spec folders and a shared asset cache under the build folder. */
public final class TestSpecs {

    /** The capability of reaching the package registries (npm, Maven) to fetch model files. */
    public static final String NETWORK = "network";
    /** Debian's python3-onnx, for the ONNX checker. */
    public static final String ONNX_CHECKER = "onnx-checker";
    /** The system property listing capabilities whose absence fails a test instead of skipping it. */
    public static final String REQUIRE_PROPERTY = "btw.test.require";

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
     * Loads a spec's encoder, skipping the test explicitly when its files cannot be fetched (no registry
     * reachable), or failing it where {@value #NETWORK} is required (see {@link #skip}).
     *
     * @param name a spec folder name
     * @return the encoder
     */
    public static Encoder encoderOrSkip(String name) {
        if (!available(name)) {
            skip(NETWORK, "cannot fetch the files of encoder " + name);
        }
        return Encoders.load(spec(name), fetcher(), EncoderOptions.DEFAULT);
    }

    /**
     * @param name a spec folder name
     * @return whether its files are in the test cache or can be fetched now
     */
    public static boolean available(String name) {
        try {
            spec(name).files().values().forEach(a -> fetcher().fetch(a));
            return true;
        } catch (BtwException e) {
            System.err.println("test: cannot fetch " + name + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Skips the calling test explicitly (reported as skipped, with the reason), or fails it when the capability
     * is listed in the system property {@value #REQUIRE_PROPERTY}: CI sets {@code -Dbtw.test.require=network,
     * onnx-checker} so that a test that should run there cannot pass by skipping.
     *
     * @param capability what is missing, e.g. {@value #NETWORK}
     * @param why one line: what could not be done
     */
    public static void skip(String capability, String why) {
        String required = System.getProperty(REQUIRE_PROPERTY, "");
        if (Arrays.asList(required.split(",")).contains(capability)) {
            Assertions.fail(
                    why + " (" + capability + " is required here: -D" + REQUIRE_PROPERTY + "=" + required + ")");
        }
        Assumptions.abort("skipped, needs " + capability + ": " + why);
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

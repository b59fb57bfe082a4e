package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.EncoderOptions;
import dev.btw.djl.encoder.Encoders;
import dev.btw.djl.encoder.preprocess.TestClips;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md and docs/*.md cannot rot: each one must be code of an example under
 * {@code examples/} (built and
 * run by {@code examples/run.sh}) or of this test (compiled and run here), whitespace aside: the formatter lays
 * out the code ({@code mvn spotless:apply}), the README may lay it out by hand.
 */
class ReadmeSnippetsTest {

    /** The repository root, seen from the module's folder (Surefire's working directory). */
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path tmp;

    @Test
    void everyJavaSnippetIsExampleOrTestCode() throws IOException {
        List<List<String>> snippets = new ArrayList<>(javaBlocks(Files.readAllLines(ROOT.resolve("README.md"))));
        assertTrue(snippets.size() >= 1, "README.md has its Java start");
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path page :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                snippets.addAll(javaBlocks(Files.readAllLines(page)));
            }
        }
        assertTrue(
                javaBlocks(Files.readAllLines(ROOT.resolve("docs/PLUGIN.md"))).stream()
                        .anyMatch(b -> b.get(0).startsWith("package ")),
                "docs/PLUGIN.md shows a complete program, from its package line");
        assertTrue(snippets.size() >= 4, "Java snippets found in README.md and docs/: " + snippets.size());
        Map<Path, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".java") && !p.toString().contains("target"))
                    .toList()) {
                sources.put(f, withoutWhitespace(Files.readString(f)));
            }
        }
        Path self = Path.of("src/test/java/dev/btw/djl/training/ReadmeSnippetsTest.java");
        sources.put(self, withoutWhitespace(Files.readString(self)));
        // the feature-store snippet of docs/ENCODERS.md runs in btw-app, which holds the store
        Path store = ROOT.resolve("btw-app/src/test/java/dev/btw/app/store/StoreSnippetsTest.java");
        sources.put(store, withoutWhitespace(Files.readString(store)));
        assertTrue(sources.size() >= 3, "example sources: " + sources.keySet());
        for (List<String> snippet : snippets) {
            String code = withoutWhitespace(String.join("\n", snippet));
            boolean found = sources.values().stream().anyMatch(src -> src.contains(code));
            assertTrue(found, "a docs snippet is in no example and not in this test:\n" + String.join("\n", snippet));
        }
    }

    /** The clip snippet of docs/ENCODERS.md ("Video files"), run on two clips written here. */
    @Test
    void clipSnippetRuns() throws Exception {
        Path talk = TestClips.video(tmp.resolve("talk.mp4"), 20, 48, 48, true);
        Path walk = TestClips.video(tmp.resolve("walk.webm"), 30, 64, 48, false);
        String before = System.getProperty("btw.home.repo");
        System.setProperty("btw.home.repo", ROOT.toAbsolutePath().normalize().toString());
        try {
            List<float[]> v = encodeClips(talk, walk);
            assertEquals(2, v.size());
            assertEquals(32, v.get(1).length);
        } finally {
            if (before == null) {
                System.clearProperty("btw.home.repo");
            } else {
                System.setProperty("btw.home.repo", before);
            }
        }
    }

    static List<float[]> encodeClips(Path talk, Path walk) {
        EncoderSpec spec = SpecLocator.defaults().find("clip-cnn", Path.of("."));
        try (Encoder clips = Encoders.load(spec, new AssetFetcher(), EncoderOptions.DEFAULT)) {
            return clips.encode(
                    List.of(EncoderInput.of("talk", talk.toString()), EncoderInput.of("walk", walk.toString())));
        }
    }

    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            String t = line.trim();
            if (current == null && t.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && t.equals("```")) {
                out.add(current);
                current = null;
            } else if (current != null && !t.isEmpty()) {
                current.add(t);
            }
        }
        return out;
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }
}

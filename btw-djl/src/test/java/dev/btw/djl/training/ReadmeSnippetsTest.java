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
            // A snippet's import lines stand above its code, as in a file: the code must be a contiguous part of
            // one source, and each import must be one of that source's imports.
            // A whole file (from its package line) must be one source as it stands.
            boolean wholeFile = snippet.get(0).startsWith("package ");
            List<String> imports = wholeFile
                    ? List.of()
                    : snippet.stream().filter(l -> l.startsWith("import ")).toList();
            String code = withoutWhitespace(String.join(
                    "\n",
                    snippet.stream()
                            .filter(l -> wholeFile || !l.startsWith("import "))
                            .toList()));
            boolean found = sources.values().stream()
                    .anyMatch(src -> src.contains(code) && imports.stream().allMatch(i -> imported(src, i)));
            assertTrue(
                    found,
                    "a docs snippet (with its imports) is in no example and not in this test:\n"
                            + String.join("\n", snippet));
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

    /** An import of the snippet is in the source, or names a class of the source's own package. */
    private static boolean imported(String source, String importLine) {
        String wanted = withoutWhitespace(importLine);
        if (source.contains(wanted)) {
            return true;
        }
        int end = source.indexOf(';');
        String pkg = source.startsWith("package") && end > 0 ? source.substring("package".length(), end) : "";
        return wanted.startsWith("import" + pkg + ".") && wanted.indexOf('.', ("import" + pkg + ".").length()) < 0;
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }
}

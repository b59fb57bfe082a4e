package dev.btw.djl.encoder.spec;

import dev.btw.core.BtwException;
import dev.btw.core.io.PathNames;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds spec folders by name. An encoder reference is either a path to a spec folder, or a name looked up in the
 * models folders: {@code $BTW_MODELS} (colon-separated), the {@code models/} of the btw checkout the launcher runs
 * from (system property {@code btw.home.repo}), and {@code ./models}.
 */
public final class SpecLocator {

    private final List<Path> roots;

    /** @param roots the models folders to search, in order */
    public SpecLocator(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** @return a locator over the default models folders */
    public static SpecLocator defaults() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("BTW_MODELS");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(File.pathSeparator)) {
                roots.add(Path.of(p));
            }
        }
        String repo = System.getProperty("btw.home.repo");
        if (repo != null && !repo.isBlank()) {
            roots.add(Path.of(repo, "models"));
        }
        roots.add(Path.of("models"));
        return new SpecLocator(roots);
    }

    /**
     * @param reference a spec folder name or path
     * @param base the folder a relative path is resolved against (the config file's folder)
     * @return the parsed spec
     * @throws BtwException when no such spec exists
     */
    public EncoderSpec find(String reference, Path base) {
        Path asPath = base == null ? Path.of(reference) : base.resolve(reference);
        if (Files.isRegularFile(asPath.resolve(SpecReader.FILE))) {
            return SpecReader.read(asPath);
        }
        // a name under the models folders follows the one rule for names (no separators, '.', '..'): a reference
        // that is not a name was a path, tried above
        for (Path root : PathNames.problem(reference) == null ? roots : List.<Path>of()) {
            Path folder = root.resolve(reference);
            if (Files.isRegularFile(folder.resolve(SpecReader.FILE))) {
                return SpecReader.read(folder);
            }
        }
        throw new BtwException("unknown encoder '" + reference + "': no " + SpecReader.FILE + " in a folder of that"
                + " name under " + roots + " (known: " + String.join(", ", names()) + ")");
    }

    /**
     * @param reference a spec folder name or path
     * @param base the folder a relative path is resolved against, or null
     * @return whether {@link #find} finds a spec folder for it (without reading the spec)
     */
    public boolean exists(String reference, Path base) {
        Path asPath = base == null ? Path.of(reference) : base.resolve(reference);
        return Files.isRegularFile(asPath.resolve(SpecReader.FILE))
                || (PathNames.problem(reference) == null
                        && roots.stream()
                                .anyMatch(root -> Files.isRegularFile(
                                        root.resolve(reference).resolve(SpecReader.FILE))));
    }

    /** @return the models folders searched, in order */
    public List<Path> roots() {
        return roots;
    }

    /** @return the names of every spec folder found, without duplicates, in search order */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.list(root)) {
                s.filter(p -> Files.isRegularFile(p.resolve(SpecReader.FILE)))
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .filter(n -> !out.contains(n))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}

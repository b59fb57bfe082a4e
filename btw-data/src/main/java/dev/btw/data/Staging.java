package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Atomic, checksummed output folders. A folder is built in a hidden sibling, then given a {@code recipe.properties}
 * stamp (what was built, with which options) and a {@code SHA256SUMS} file (the format {@code sha256sum -c}
 * reads), and renamed into place. A folder is complete when its stamp equals the expected one and every file
 * listed in {@code SHA256SUMS} still has its checksum.
 */
public final class Staging {

    /** The checksum list, one {@code <sha256>  <relative path>} line per file. */
    public static final String SUMS = "SHA256SUMS";
    /** The stamp: sorted {@code key=value} lines saying what was built. */
    public static final String STAMP = "recipe.properties";

    private Staging() {}

    /**
     * @param finalDir where the result will live
     * @return a fresh, empty, hidden sibling folder to build in
     */
    public static Path begin(Path finalDir) {
        try {
            Path parent = finalDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, "." + finalDir.getFileName() + ".tmp-");
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the default permissions
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a build folder beside " + finalDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stamps and checksums the staged folder, then puts it in place of {@code finalDir}.
     *
     * @param staging the built folder (from {@link #begin})
     * @param finalDir the destination; an existing folder there is replaced
     * @param stamp what was built
     */
    public static void publish(Path staging, Path finalDir, Map<String, String> stamp) {
        try {
            Files.writeString(staging.resolve(STAMP), stampText(stamp), StandardCharsets.UTF_8);
            StringBuilder sums = new StringBuilder();
            for (Path f : files(staging)) {
                String rel = staging.relativize(f).toString().replace('\\', '/');
                if (!rel.equals(SUMS)) {
                    sums.append(Sha256.of(f)).append("  ").append(rel).append('\n');
                }
            }
            Files.writeString(staging.resolve(SUMS), sums.toString(), StandardCharsets.UTF_8);
            Path target = finalDir.toAbsolutePath();
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(staging, target);
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + finalDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param dir a published folder
     * @param stamp the stamp it must carry
     * @return whether it exists, carries that stamp, and every checksummed file matches
     */
    public static boolean isComplete(Path dir, Map<String, String> stamp) {
        Path sums = dir.resolve(SUMS);
        Path stampFile = dir.resolve(STAMP);
        try {
            if (!Files.isRegularFile(sums)
                    || !Files.isRegularFile(stampFile)
                    || !Files.readString(stampFile, StandardCharsets.UTF_8).equals(stampText(stamp))) {
                return false;
            }
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                int sep = line.indexOf("  ");
                if (sep != 64) {
                    return false;
                }
                Path f = dir.resolve(line.substring(sep + 2));
                if (!Files.isRegularFile(f) || !Sha256.of(f).equals(line.substring(0, sep))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Deletes a folder and everything in it; a missing folder is fine.
     *
     * @param dir the folder
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes build folders left behind by killed runs next to {@code finalDir}: those untouched for an hour or
     * more, so that a build running at the same time in another process is not disturbed.
     *
     * @param finalDir a destination folder
     */
    public static void sweep(Path finalDir) {
        Path parent = finalDir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + finalDir.getFileName() + ".";
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.startsWith(prefix + "tmp-") || n.startsWith(prefix + "old-")) && stale(p);
                    })
                    .toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
        }
    }

    private static boolean stale(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000L;
        } catch (IOException e) {
            return false;
        }
    }

    static String stampText(Map<String, String> stamp) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(stamp).entrySet()) {
            if (e.getValue().contains("\n") || e.getKey().contains("=")) {
                throw new BtwException("bad stamp entry " + e.getKey());
            }
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> out = new ArrayList<>(s.filter(Files::isRegularFile).toList());
            out.sort(Comparator.comparing(p -> dir.relativize(p).toString()));
            return out;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        AtomicFiles.move(from, to);
    }
}

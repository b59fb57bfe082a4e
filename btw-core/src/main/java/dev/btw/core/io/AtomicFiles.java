package dev.btw.core.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes files atomically: the content goes to a temporary file in the target's folder, which is then renamed
 * over the target. A failure or a kill part-way leaves the previous file (or no file) in place, never a
 * truncated one. The temporary file's name carries the writer's process id, so that the next write of the same
 * target removes what a killed writer left ({@link #removeLeftovers}).
 */
public final class AtomicFiles {

    /** Writes content to a stream; may throw I/O errors. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * @param out where to write
         * @throws IOException on failure; the target is then left untouched
         */
        void write(OutputStream out) throws IOException;
    }

    /** Writes characters; may throw I/O errors. */
    @FunctionalInterface
    public interface TextWriter {
        /**
         * @param out where to write
         * @throws IOException on failure; the target is then left untouched
         */
        void write(Writer out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes bytes produced by {@code writer} to {@code target} atomically, creating parent folders.
     *
     * @param target the final file
     * @param writer produces the content
     * @throws IOException when writing or renaming fails; the temporary file is removed
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeLeftovers(absolute);
        Path tmp = Files.createTempFile(
                dir,
                "." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "-",
                ".tmp");
        try {
            readableByAll(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // a failed write (a full disk reports only "No space left on device"): name the file it was for
            if (e.getMessage() == null || !FileErrors.isEnvironment(e.getMessage())) {
                throw e;
            }
            FileSystemException named = new FileSystemException(absolute.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** How old a temporary file of the form without a process id must be to count as left by a killed writer. */
    static final Duration LEGACY_LEFTOVER_AGE = Duration.ofMinutes(10);

    /**
     * Removes the temporary files a killed writer of {@code target} left beside it: {@code .NAME.PID-N.tmp} whose
     * process is gone, and {@code .NAME.N.tmp} (written before temporary names carried the process id) older than
     * {@link #LEGACY_LEFTOVER_AGE}. A live writer's temporary file is left alone.
     *
     * @param target a file written with {@link #write}
     * @return how many leftovers were removed
     */
    public static int removeLeftovers(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String prefix = "." + absolute.getFileName() + ".";
        int removed = 0;
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : s) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (leftover(p, middle)) {
                    try {
                        removed += Files.deleteIfExists(p) ? 1 : 0;
                    } catch (IOException e) {
                        // another cleaner got it first, or it cannot be removed: the write goes on
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // an unreadable folder fails the write itself, with its own message
        }
        return removed;
    }

    private static boolean leftover(Path tmp, String middle) {
        int dash = middle.indexOf('-');
        try {
            if (dash > 0) {
                long pid = Long.parseLong(middle.substring(0, dash));
                Long.parseLong(middle.substring(dash + 1));
                return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
            }
            Long.parseLong(middle);
            return Files.getLastModifiedTime(tmp)
                    .toInstant()
                    .isBefore(Instant.now().minus(LEGACY_LEFTOVER_AGE));
        } catch (NumberFormatException | IOException e) {
            return false;
        }
    }

    /**
     * Renames a file or folder atomically where the file system can (a reader sees the old or the new, never a part),
     * else with a plain move: the one atomic-move helper of every module (atomic writes, asset caches, data
     * staging).
     *
     * @param from the source
     * @param to the destination
     * @param options further options, e.g. {@link StandardCopyOption#REPLACE_EXISTING}
     * @throws IOException when the move fails
     */
    public static void move(Path from, Path to, CopyOption... options) throws IOException {
        CopyOption[] atomic = Arrays.copyOf(options, options.length + 1);
        atomic[options.length] = StandardCopyOption.ATOMIC_MOVE;
        try {
            Files.move(from, to, atomic);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, options);
        }
    }

    /** Temporary files are created owner-only; the final file gets the usual rw-r--r--. */
    private static void readableByAll(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    /**
     * Writes UTF-8 text produced by {@code writer} to {@code target} atomically.
     *
     * @param target the final file
     * @param writer produces the text
     * @throws IOException when writing or renaming fails
     */
    public static void writeText(Path target, TextWriter writer) throws IOException {
        write(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(w);
            w.flush();
        });
    }

    /**
     * Writes a string to {@code target} atomically, as UTF-8.
     *
     * @param target the final file
     * @param text the content
     */
    public static void writeString(Path target, String text) {
        try {
            writeText(target, w -> w.write(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

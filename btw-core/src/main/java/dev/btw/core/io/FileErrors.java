package dev.btw.core.io;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * File-system failures are the user's environment, not btw's bugs: this names the path and the cause in words
 * (read-only file system, no space left, permission denied, a folder or file in the way) so that the command line
 * reports them with exit status 2.
 */
public final class FileErrors {

    private FileErrors() {}

    /**
     * @param path the path btw was writing or reading (used when the failure names none)
     * @param e the failure
     * @return one line: the path and the cause, e.g. {@code /x/m.onnx: no space left on device}
     */
    public static String describe(Path path, IOException e) {
        String where = path == null ? null : path.toString();
        if (e instanceof FileSystemException f && f.getFile() != null) {
            where = f.getFile();
        }
        return (where == null ? "" : where + ": ") + cause(e);
    }

    /**
     * @param e a file-system failure
     * @return its cause in words
     */
    public static String cause(IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        String lower = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "no space left on device (free some space or write elsewhere)";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system (write elsewhere)";
        }
        if (lower.contains("disk quota")) {
            return "disk quota exceeded";
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file or folder of that name is in the way";
        }
        if (e instanceof DirectoryNotEmptyException || lower.contains("is a directory")) {
            return "a folder is in the way";
        }
        if (e instanceof NotDirectoryException || lower.contains("not a directory")) {
            return "a file is in the way where a folder is needed";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    /**
     * @param path the path btw was writing or reading
     * @param e the failure
     * @return a {@link BtwException} (exit status 2) naming the path and the cause
     */
    public static BtwException of(Path path, IOException e) {
        return new BtwException("cannot write " + describe(path, e), e);
    }

    /**
     * @param message an I/O failure's message
     * @return whether it reports a full disk, an exceeded quota or a read-only file system
     */
    public static boolean isEnvironment(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("read-only file system") || m.contains("disk quota");
    }

    /**
     * @param t any failure
     * @return the first {@link IOException} in its cause chain that is a file-system failure (of the user's
     *     environment), or null
     */
    public static IOException environmental(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof FileSystemException f) {
                return f;
            }
            if (c instanceof IOException io && io.getMessage() != null && isEnvironment(io.getMessage())) {
                return io;
            }
        }
        return null;
    }
}

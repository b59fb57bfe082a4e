package dev.btw.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed writer leaves is removed by the next write of the same file (a live writer's temporary is kept), and
 * file-system failures are described in words.
 */
class FaultFilesTest {

    @TempDir
    Path tmp;

    /** A process id that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    @Test
    void theNextWriteRemovesAKilledWritersTemporaryFiles() throws Exception {
        Path target = tmp.resolve("model.onnx");
        Path killed = tmp.resolve(".model.onnx." + deadPid() + "-123456.tmp");
        Path live = tmp.resolve(".model.onnx." + ProcessHandle.current().pid() + "-99.tmp");
        Path legacyOld = tmp.resolve(".model.onnx.4242.tmp");
        Path legacyNew = tmp.resolve(".model.onnx.4343.tmp");
        Path other = tmp.resolve(".other.onnx.1-2.tmp");
        for (Path p : new Path[] {killed, live, legacyOld, legacyNew, other}) {
            Files.write(p, new byte[1000]);
        }
        Files.setLastModifiedTime(legacyOld, FileTime.from(Instant.now().minusSeconds(3600)));
        AtomicFiles.writeString(target, "model");
        assertEquals("model", Files.readString(target));
        assertFalse(Files.exists(killed), "a dead writer's temporary is removed");
        assertFalse(Files.exists(legacyOld), "an old temporary without a process id is removed");
        assertTrue(Files.exists(live), "a live writer's temporary is kept");
        assertTrue(Files.exists(legacyNew), "a recent temporary without a process id is kept");
        assertTrue(Files.exists(other), "another file's temporaries are not touched");
    }

    @Test
    void fileSystemFailuresAreNamedInWords() {
        Path p = tmp.resolve("x");
        assertEquals(
                p + ": no space left on device (free some space or write elsewhere)",
                FileErrors.describe(p, new IOException("No space left on device")));
        assertEquals(
                "/ro/x: read-only file system (write elsewhere)",
                FileErrors.describe(p, new FileSystemException("/ro/x", null, "Read-only file system")));
        assertEquals(p + ": permission denied", FileErrors.describe(p, new AccessDeniedException(p.toString())));
        assertTrue(FileErrors.environmental(new RuntimeException(new IOException("No space left on device"))) != null);
        assertEquals(null, FileErrors.environmental(new IllegalStateException("bug")));
    }
}

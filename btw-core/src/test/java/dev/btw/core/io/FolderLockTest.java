package dev.btw.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder's lock against a real second process: while it holds the lock, taking it fails naming its process id
 * and start time; after a {@code kill -9} of it, the stale lock is taken over.
 */
class FolderLockTest {

    @TempDir
    Path tmp;

    private static Process holder(Path folder) throws Exception {
        Process p = new ProcessBuilder(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FolderLockHolder.class.getName(),
                        folder.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.startsWith("locked "), "the holder took the lock: " + line);
        return p;
    }

    @Test
    void aSecondWriterFailsNamingTheHolderAndAKilledHoldersLockIsTakenOver() throws Exception {
        Path folder = tmp.resolve("run");
        Process p = holder(folder);
        try {
            String start = p.info().startInstant().map(Object::toString).orElseThrow();
            BtwException e = assertThrows(BtwException.class, () -> FolderLock.acquire(folder, "run directory"));
            assertTrue(e.getMessage().contains("pid " + p.pid() + " started " + start), e.getMessage());
            assertTrue(e.getMessage().contains("in use by another btw process"), e.getMessage());
            assertFalse(BtwException.isInternal(e));
        } finally {
            p.destroyForcibly(); // SIGKILL: the holder gets no chance to release anything
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.readString(folder.resolve(FolderLock.FILE)).contains("pid " + p.pid()), "stale lock left");
        try (FolderLock lock = FolderLock.acquire(folder, "run directory")) {
            assertTrue(lock.takenOver().orElseThrow().startsWith("pid " + p.pid() + " "));
            assertTrue(Files.readString(lock.file())
                    .startsWith("pid " + ProcessHandle.current().pid() + " started"));
        }
        assertEquals("", Files.readString(folder.resolve(FolderLock.FILE)), "released: the file is emptied");
        try (FolderLock again = FolderLock.acquire(folder, "run directory")) {
            assertTrue(again.takenOver().isEmpty(), "a released lock is not a stale one");
            BtwException twice = assertThrows(BtwException.class, () -> FolderLock.acquire(folder, "feature store"));
            assertTrue(twice.getMessage().contains("(this process)"), twice.getMessage());
        }
    }
}

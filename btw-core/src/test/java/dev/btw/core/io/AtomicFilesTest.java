package dev.btw.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("sub/a.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
    }

    @Test
    void failureLeavesPreviousContentAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "kept");
        assertThrows(
                IOException.class,
                () -> AtomicFiles.writeText(f, w -> {
                    w.write("partial");
                    throw new IOException("boom");
                }));
        assertEquals("kept", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}

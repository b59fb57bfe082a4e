package dev.btw.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalProcessTest {

    @TempDir
    Path dir;

    @Test
    void exitStatusMergedOutputFolderAndEnvironment() throws Exception {
        ExternalProcess.Result r = ExternalProcess.run(
                List.of("sh", "-c", "echo out; echo err >&2; pwd; " + "echo \"$BTW_X\"; exit 3"),
                dir,
                Duration.ofSeconds(30),
                Map.of("BTW_X", "set"));
        assertEquals(3, r.exitCode());
        assertFalse(r.ok());
        assertFalse(r.timedOut());
        assertEquals(
                List.of("out", "err", dir.toRealPath().toString(), "set"),
                r.output().strip().lines().toList());
        assertTrue(ExternalProcess.run(List.of("true"), null, Duration.ofSeconds(30), Map.of())
                .ok());
    }

    @Test
    void aLongOutputDoesNotBlockAndATimeLimitKills() throws Exception {
        ExternalProcess.Result big = ExternalProcess.run(
                List.of("sh", "-c", "head -c 2000000 /dev/zero | tr '\\0' x"), null, Duration.ofSeconds(30), Map.of());
        assertTrue(big.ok());
        assertEquals(2_000_000, big.output().length());
        long t0 = System.nanoTime();
        ExternalProcess.Result slow =
                ExternalProcess.run(List.of("sleep", "30"), null, Duration.ofMillis(300), Map.of());
        assertTrue(slow.timedOut() && !slow.ok());
        assertTrue(System.nanoTime() - t0 < 20e9, "killed at the limit, not after 30 s");
    }

    @Test
    void aMissingProgramCannotStart() {
        assertThrows(
                IOException.class,
                () -> ExternalProcess.run(List.of("no-such-program-btw"), null, Duration.ofSeconds(5), Map.of()));
    }
}

package dev.btw.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The entry point's argument errors: one message, exit status 2, before any Spark session starts. */
class SparkEncodeTest {

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkEncode.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new String[] {
            Integer.toString(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void helpListsEveryOption() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        for (String o : new String[] {"--config", "--store", "--batch", "--master"}) {
            assertTrue(r[1].contains(o), o);
        }
    }

    @Test
    void badArgumentsExitWithStatus2() {
        String[] missing = run("--store", "x");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--config is required"), missing[2]);
        String[] unknown = run("--config", "c.yaml", "--bogus", "1");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[2].contains("unknown option --bogus"), unknown[2]);
        String[] batch = run("--config", "c.yaml", "--batch", "0");
        assertEquals("2", batch[0]);
        assertTrue(batch[2].contains("--batch must be a positive integer, got 0"), batch[2]);
        String[] dangling = run("--config");
        assertEquals("2", dangling[0]);
        assertTrue(dangling[2].contains("option --config needs a value"), dangling[2]);
    }
}

package dev.btw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The dispatcher: help for every command without its required options, exit codes, global flags. */
class BtwTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new Btw().run(args, new PrintStream(out), new PrintStream(err));
    }

    @Test
    void everyCommandHasHelpEvenWithRequiredOptionsMissing() {
        for (Command c : Commands.all()) {
            String[] args = (c.name() + " --help").split(" ");
            assertEquals(0, run(args), c.name() + ": " + err);
            assertTrue(out.toString().contains("btw " + c.name()), c.name() + ": " + out);
            assertTrue(out.toString().contains("--verbose") && out.toString().contains("--quiet"), out.toString());
        }
    }

    @Test
    void exitCodes() {
        assertEquals(2, run());
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("demo") && out.toString().contains("weights"), out.toString());
        assertEquals(2, run("nope"));
        assertTrue(err.toString().contains("unknown command 'nope'"), err.toString());
        assertEquals(2, run("report"));
        assertTrue(err.toString().contains("Missing required option: run"), err.toString());
        assertEquals(2, run("report", "--run", "does-not-exist", "--verbose", "--quiet"));
        assertTrue(err.toString().contains("run directory not found"), err.toString());
        assertEquals(2, run("export", "--run", "x", "--out", "y", "--bogus"));
        assertTrue(err.toString().contains("bogus"), err.toString());
    }
}

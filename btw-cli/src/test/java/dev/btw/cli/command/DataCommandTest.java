package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.cli.Btw;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void listsRecipesWithSizesAndLicences() {
        assertEquals(0, run("data", "--list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String name : new String[] {"av-mnist", "diabetes", "parkinsons", "sentiment"}) {
            assertTrue(text.contains(name + " "), text);
        }
        assertTrue(text.contains("CC BY 4.0"), text);
        assertTrue(text.contains("full 3000, quick 300"), text);
    }

    @Test
    void unknownRecipeAndBadNumbersAreBadInput() {
        assertEquals(2, run("data", "mosi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no data recipe named 'mosi'"));
        assertEquals(2, run("data", "--n", "many", "diabetes"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--n expects a whole number"));
        assertEquals(2, run("data", "--n", "0", "diabetes"));
    }
}

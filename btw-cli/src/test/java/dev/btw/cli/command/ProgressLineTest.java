package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line never shows an absurd rate such as {@code 32000000000.0/s} (issue 23). */
class ProgressLineTest {

    @Test
    void aModalityDoneInAnInstantShowsNoRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.update("tab", 32, 32);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("encode tab: 32/32 (100%), -/s"), text);
        assertFalse(text.matches("(?s).*\\d{7,}.*"), text);
        assertEquals("-", ProgressLine.rate(0));
        assertEquals("12.5", ProgressLine.rate(12.5));
    }
}

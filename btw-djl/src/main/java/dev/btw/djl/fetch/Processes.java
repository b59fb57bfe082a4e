package dev.btw.djl.fetch;

import dev.btw.core.BtwException;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.io.ExternalProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs a package client (Maven, npm) through {@link ExternalProcess} and turns its failure into one clear line. */
final class Processes {

    private static final long TIMEOUT_MINUTES = 10;

    private Processes() {}

    static void run(PinnedFile asset, Path dir, String... command) throws IOException {
        ExternalProcess.Result r;
        try {
            r = ExternalProcess.run(List.of(command), dir, Duration.ofMinutes(TIMEOUT_MINUTES), Map.of());
        } catch (IOException e) {
            throw new BtwException(
                    "cannot fetch asset " + asset.name() + ": '" + command[0] + "' is not installed or not on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.timedOut()) {
            throw new BtwException("cannot fetch asset " + asset.name() + ": " + command[0] + " timed out");
        }
        if (r.exitCode() != 0) {
            throw new BtwException("cannot fetch asset " + asset.name() + " (" + asset.describe()
                    + "): offline, or not found in the registry; " + command[0] + " said: " + lastLine(r.output()));
        }
    }

    /** The first error line of the client's output, else its last line. */
    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        for (String line : lines) {
            String l = line.replaceAll("\u001B\\[[;\\d]*m", "").strip();
            if (l.startsWith("[ERROR]") || l.contains("ERR!")) {
                l = l.replaceAll("\\s*\\(https?://[^)]*\\)", "").replace(" -> [Help 1]", "");
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].replaceAll("\u001B\\[[;\\d]*m", "").strip();
            if (!l.isEmpty()) {
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "(no output)";
    }
}

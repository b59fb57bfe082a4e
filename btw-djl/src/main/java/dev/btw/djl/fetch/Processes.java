package dev.btw.djl.fetch;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a package client (Maven, npm) as a subprocess and turns its failure into one clear line. */
final class Processes {

    private static final long TIMEOUT_MINUTES = 10;

    private Processes() {}

    static void run(Asset asset, Path dir, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BtwException("cannot fetch asset " + asset.name() + ": '" + command[0]
                    + "' is not installed or not on PATH", e);
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new BtwException("cannot fetch asset " + asset.name() + ": " + command[0] + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new BtwException("cannot fetch asset " + asset.name() + " (" + asset.describe()
                    + "): offline, or not found in the registry; " + command[0] + " said: " + lastLine(output));
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

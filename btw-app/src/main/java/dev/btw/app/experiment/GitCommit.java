package dev.btw.app.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git commit of the btw checkout the launcher runs from ({@code btw.home.repo}), for provenance. */
final class GitCommit {

    private GitCommit() {}

    static String read() {
        String repo = System.getProperty("btw.home.repo");
        if (repo == null) {
            return "unknown";
        }
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(repo).toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}

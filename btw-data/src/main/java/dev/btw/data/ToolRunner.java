package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.io.ExternalProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs external tools (npm, apt-get, dpkg, tar, sox, espeak-ng, flite, Rscript) through {@link ExternalProcess}.
 * A failure becomes a {@link BtwException} naming the tool, what it was doing, its exit status and the last lines
 * it printed; a missing tool is named with the Debian package that provides it.
 */
public final class ToolRunner {

    private static final int TAIL_LINES = 4;

    private final Consumer<String> progress;
    private boolean aptUpdated;

    /** @param progress where to report installs and other slow steps */
    public ToolRunner(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param tool an executable name
     * @return whether it is found on {@code PATH}
     */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** @return whether this process runs as root (and may install Debian packages) */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Makes sure a tool is on {@code PATH}: when it is missing and this process runs as root, installs its Debian
     * package with {@code apt-get install -y --no-install-recommends}; otherwise fails naming the package.
     *
     * @param tool the executable
     * @param debPackage the Debian package that provides it
     * @throws BtwException when the tool is missing and cannot be installed
     */
    public synchronized void require(String tool, String debPackage) {
        if (onPath(tool)) {
            return;
        }
        if (!isRoot()) {
            throw new BtwException("'" + tool + "' is not installed; install the Debian package '" + debPackage
                    + "' (apt-get install --no-install-recommends " + debPackage + ") and run again");
        }
        progress.accept("installing " + debPackage + " (for " + tool + ")");
        aptInstall(debPackage);
        if (!onPath(tool)) {
            throw new BtwException(
                    "installed the Debian package '" + debPackage + "' but '" + tool + "' is still not on PATH");
        }
    }

    private void aptInstall(String debPackage) {
        List<String> cmd = List.of(
                "apt-get", "install", "-y", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600", debPackage);
        try {
            run(cmd, null, Duration.ofMinutes(20), "install the Debian package '" + debPackage + "'");
        } catch (BtwException first) {
            if (aptUpdated) {
                throw first;
            }
            aptUpdate();
            run(cmd, null, Duration.ofMinutes(20), "install the Debian package '" + debPackage + "'");
        }
    }

    /**
     * Runs {@code apt-get update} once per runner (only as root), so that {@code apt-get download} and
     * {@code install} see current package lists.
     *
     * @return whether it ran
     */
    public synchronized boolean aptUpdate() {
        if (aptUpdated || !isRoot()) {
            return false;
        }
        progress.accept("apt-get update");
        run(
                List.of("apt-get", "update", "-o", "DPkg::Lock::Timeout=600"),
                null,
                Duration.ofMinutes(10),
                "refresh the Debian package lists (is the package archive reachable?)");
        aptUpdated = true;
        return true;
    }

    /**
     * Runs a command to completion.
     *
     * @param cmd the command and its arguments
     * @param dir the working folder, or {@code null} for the current one
     * @param timeout how long it may take
     * @param what what it does, for error messages ("convert digits/3.wav")
     * @return its standard output and error, merged
     * @throws BtwException when the tool is missing, fails, or times out
     */
    public String run(List<String> cmd, Path dir, Duration timeout, String what) {
        return run(cmd, dir, timeout, what, Map.of());
    }

    /**
     * Runs a command to completion with extra environment variables.
     *
     * @param cmd the command and its arguments
     * @param dir the working folder, or {@code null}
     * @param timeout how long it may take
     * @param what what it does, for error messages
     * @param env extra environment variables
     * @return its standard output and error, merged
     * @throws BtwException when the tool is missing, fails, or times out
     */
    public String run(List<String> cmd, Path dir, Duration timeout, String what, Map<String, String> env) {
        String tool = cmd.get(0);
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("DEBIAN_FRONTEND", "noninteractive");
        ExternalProcess.Result r;
        try {
            r = ExternalProcess.run(cmd, dir, timeout, all);
        } catch (IOException e) {
            throw new BtwException(
                    "cannot run '" + tool + "' to " + what + ": " + e.getMessage() + " (is it installed and on PATH?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BtwException("interrupted while running '" + tool + "' to " + what, e);
        }
        if (r.timedOut()) {
            throw new BtwException("'" + tool + "' did not finish in " + timeout.toSeconds() + " s while trying to "
                    + what + " (is the network to the package registries reachable?)");
        }
        if (r.exitCode() != 0) {
            throw new BtwException("'" + String.join(" ", cmd.subList(0, Math.min(cmd.size(), 3)))
                    + (cmd.size() > 3 ? " ..." : "") + "' failed (exit " + r.exitCode() + ") trying to " + what
                    + ": " + tail(r.output()));
        }
        return r.output();
    }

    static String tail(String out) {
        String[] lines = out.strip().split("\\R");
        List<String> kept = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && kept.size() < TAIL_LINES; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty()) {
                kept.add(0, l);
            }
        }
        for (String l : lines) {
            String t = l.strip();
            if (KEY_LINE.matcher(t).find() && !kept.contains(t)) {
                kept.add(0, t);
                kept.add(1, "...");
                break;
            }
        }
        return kept.isEmpty() ? "(no output)" : String.join(" | ", kept);
    }

    /** The line that usually names the cause: npm's error code, apt's {@code E:} line, a tool's error line. */
    private static final Pattern KEY_LINE =
            Pattern.compile("^(npm (error|ERR!) code|E: |.*\\berror:|.*\\bfail)", Pattern.CASE_INSENSITIVE);
}

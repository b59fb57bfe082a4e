package dev.btw.core.io;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion: standard input empty, standard output and error merged into a temporary
 * file (so that a chatty program never blocks on a full pipe), a time limit after which it is killed. The one
 * process runner of every module (package clients fetching assets, the tools data recipes run); each caller words
 * its own errors from the {@link Result}.
 */
public final class ExternalProcess {

    /**
     * How a run ended.
     *
     * @param exitCode the exit status (-1 when it timed out)
     * @param output standard output and error, merged
     * @param timedOut whether the time limit killed it
     */
    public record Result(int exitCode, String output, boolean timedOut) {

        /** @return whether it finished in time with exit status 0 */
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }
    }

    private ExternalProcess() {}

    /**
     * @param cmd the program and its arguments
     * @param dir the working folder, or {@code null} for the current one
     * @param timeout how long it may run
     * @param env extra environment variables
     * @return how it ended
     * @throws IOException when it cannot be started (not installed, not on {@code PATH}) or its output not read
     * @throws InterruptedException when this thread is interrupted while waiting (the program is killed)
     */
    public static Result run(List<String> cmd, Path dir, Duration timeout, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("btw-process-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : -1, out, !done);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary log left behind is harmless
            }
        }
    }
}

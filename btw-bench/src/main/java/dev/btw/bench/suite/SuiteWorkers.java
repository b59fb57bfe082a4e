package dev.btw.bench.suite;

import dev.btw.cli.Btw;
import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the helper processes of {@code btw bench suite --jobs N}: each is this JVM's command (same Java, class
 * path and btw/DJL system properties) running {@code bench suite ... --train-only}, so it trains run directories
 * of the same work folder that no other process has claimed. Processes, not threads, because PyTorch's random
 * generator is global to a process: two trainings in one JVM would draw from one stream and lose reproducibility.
 */
public final class SuiteWorkers {

    /**
     * A started worker.
     *
     * @param process the process
     * @param index its number, from 1
     */
    public record Worker(Process process, int index) {}

    private static final List<String> PROPERTIES = List.of("ai.djl.offline", "btw.home", "btw.home.repo");

    /** Logger settings pass to the workers whole (the launcher quiets single loggers, such as DJL's CUDA probe). */
    private static final String LOGGER_PREFIX = "org.slf4j.simpleLogger.";

    private SuiteWorkers() {}

    /**
     * @param count how many workers
     * @param suiteArguments the arguments after {@code bench suite} that select the work (data sets, seeds,
     *     phases, overrides, work folder); {@code --train-only} is added
     * @return the workers, started; their progress lines go to this process's standard error
     */
    public static List<Worker> start(int count, List<String> suiteArguments) {
        List<String> command = command(suiteArguments);
        List<Worker> workers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try {
                Process p = new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                workers.add(new Worker(p, i));
            } catch (IOException e) {
                workers.forEach(w -> w.process().destroy());
                throw new BtwException("cannot start suite worker " + i + ": " + e.getMessage(), e);
            }
        }
        return workers;
    }

    /**
     * Waits for every worker; one that failed is reported, and its unfinished runs are left to the caller's
     * second pass.
     *
     * @param workers the workers
     * @param log where to say so
     */
    public static void awaitAll(List<Worker> workers, Consumer<String> log) {
        for (Worker w : workers) {
            try {
                int code = w.process().waitFor();
                if (code != 0) {
                    log.accept("worker " + w.index() + " exited with status " + code
                            + "; its unfinished runs are trained now");
                }
            } catch (InterruptedException e) {
                workers.forEach(x -> x.process().destroy());
                Thread.currentThread().interrupt();
                throw new BtwException("interrupted while waiting for suite workers");
            }
        }
    }

    /**
     * @param suiteArguments the arguments after {@code bench suite}
     * @return a worker's command line: this JVM's Java and class path, the offline, home and logger properties
     */
    static List<String> command(List<String> suiteArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> properties = new ArrayList<>(PROPERTIES);
        System.getProperties().stringPropertyNames().stream()
                .filter(p -> p.startsWith(LOGGER_PREFIX))
                .sorted()
                .forEach(properties::add);
        for (String p : properties) {
            String v = System.getProperty(p);
            if (v != null) {
                command.add("-D" + p + "=" + v);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Btw.class.getName());
        command.add("bench");
        command.add("suite");
        command.addAll(suiteArguments);
        command.add("--train-only");
        return command;
    }
}

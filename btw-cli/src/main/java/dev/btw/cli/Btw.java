package dev.btw.cli;

import dev.btw.core.BtwException;
import dev.btw.core.io.FileErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point of the {@code btw} command. Exit status: 0 success, 2 bad usage or bad input (a
 * {@link BtwException}, a parse error or an unreadable file: one line on stderr naming what is wrong), 1 internal
 * failure (a {@link dev.btw.core.BtwInternalException} anywhere in the cause chain, e.g. an engine that crashed
 * on a prepared input, or any other exception). A file-system failure (read-only, no space left, a folder in the
 * way; {@link FileErrors}) is the user's environment: exit status 2, naming the path and the cause.
 */
public final class Btw {

    /** Exit status for success. */
    public static final int OK = 0;
    /** Exit status for an internal failure. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit status for bad usage or bad input. */
    public static final int BAD_INPUT = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();

    /** Creates the dispatcher with every known subcommand. */
    public Btw() {
        for (Command c : Commands.all()) {
            commands.put(c.name(), c);
        }
    }

    /**
     * Runs the command line and exits the JVM with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status = new Btw().run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one command line without exiting, for tests and embedding.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printOverview(args.length == 0 ? err : out);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        if (args[0].equals("--version")) {
            out.println("btw " + Version.get());
            return OK;
        }
        int consumed = 1;
        String name = args[0];
        if (args.length > 1 && commands.containsKey(name + " " + args[1])) {
            name = name + " " + args[1];
            consumed = 2;
        }
        Command command = commands.get(name);
        if (command == null) {
            err.println("btw: unknown command '" + String.join(" ", Arrays.copyOf(args, consumed))
                    + "'; run 'btw --help' for the list");
            return BAD_INPUT;
        }
        String[] rest = Arrays.copyOfRange(args, consumed, args.length);
        Options options = command.options();
        options.addOption(
                Option.builder("h").longOpt("help").desc("show this help").get());
        // every command accepts these; commands that print progress read --quiet themselves
        if (!options.hasLongOption("verbose")) {
            options.addOption(Option.builder()
                    .longOpt("verbose")
                    .desc("stack traces on failure")
                    .get());
        }
        if (!options.hasLongOption("quiet")) {
            options.addOption(
                    Option.builder().longOpt("quiet").desc("no progress output").get());
        }
        boolean verbose = Arrays.asList(rest).contains("--verbose");
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            printHelp(command, options, out);
            return OK;
        }
        try {
            CommandLine line = new DefaultParser().parse(options, rest);
            if (line.hasOption("help")) {
                printHelp(command, options, out);
                return OK;
            }
            if (!line.getArgList().isEmpty() && !acceptsArguments(command)) {
                throw new BtwException(
                        "unexpected argument '" + line.getArgList().get(0) + "'");
            }
            return command.run(line, out, err);
        } catch (ParseException e) {
            err.println("btw " + name + ": " + e.getMessage() + " (see 'btw " + name + " --help')");
            return BAD_INPUT;
        } catch (BtwException e) {
            boolean internal = e.isInternal();
            err.println("btw " + name + ": " + (internal ? "internal error: " : "") + e.getMessage());
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            } else if (internal) {
                err.println("(run again with --verbose for the stack trace)");
            }
            return internal ? INTERNAL_ERROR : BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println("btw " + name + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (OutOfMemoryError e) {
            String given = System.getProperty("btw.defaultHeap");
            err.println("btw " + name + ": out of memory (" + e.getMessage() + "); the Java heap is at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB"
                    + (given != null ? " (the launcher's default, " + given + ")" : "")
                    + ": raise it, e.g. BTW_JAVA_OPTS=-Xmx4g ./btw " + name + " ...");
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        } catch (Exception | Error e) {
            IOException environment = BtwException.isInternal(e) ? null : FileErrors.environmental(e);
            if (environment != null) {
                // the user's file system (read-only, full, a folder in the way), not a bug of btw
                err.println("btw " + name + ": " + FileErrors.describe(null, environment));
                if (verbose) {
                    e.printStackTrace(err);
                }
                return BAD_INPUT;
            }
            err.println("btw " + name + ": internal error: " + e);
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run again with --verbose for the stack trace)");
            }
            return INTERNAL_ERROR;
        }
    }

    private static boolean acceptsArguments(Command command) {
        return command instanceof AcceptsArguments;
    }

    private void printOverview(PrintStream out) {
        out.println("btw " + Version.get() + ": BTW-weighted multimodal fusion on the JVM");
        out.println();
        out.println("usage: btw <command> [options]; btw <command> --help for details");
        out.println();
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(8);
        for (Command c : commands.values()) {
            out.printf("  %-" + width + "s  %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("exit status: 0 success, 2 bad usage or bad input, 1 internal failure");
    }

    private static void printHelp(Command command, Options options, PrintStream out) {
        HelpFormatter formatter = HelpFormatter.builder().get();
        PrintWriter pw = new PrintWriter(out);
        formatter.printHelp(
                pw, 100, "btw " + command.name() + " [options]", command.summary(), options, 2, 2, "", true);
        pw.flush();
    }
}

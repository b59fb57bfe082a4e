package dev.btw.cli;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One subcommand of {@code btw}. Implementations parse nothing themselves: {@link Btw} parses the options they
 * declare, handles {@code --help}, and maps exceptions to exit codes ({@link dev.btw.core.BtwException}: 2,
 * anything else: 1).
 */
public interface Command {

    /** @return the name as typed, e.g. {@code weights} or {@code bench weights} */
    String name();

    /** @return one line saying what the command does */
    String summary();

    /** @return the options this command accepts, without {@code --help} (added by the dispatcher) */
    Options options();

    /**
     * Runs the command.
     *
     * @param line the parsed options
     * @param out where results go (standard output)
     * @param err where progress and messages go (standard error)
     * @return the exit status, 0 on success
     * @throws Exception on failure; a {@link dev.btw.core.BtwException} means bad input (exit 2)
     */
    int run(CommandLine line, PrintStream out, PrintStream err) throws Exception;
}

package dev.btw.cli;

import dev.btw.cli.command.DataCommand;
import dev.btw.cli.command.DemoCommand;
import dev.btw.cli.command.EncodeCommand;
import dev.btw.cli.command.EvaluateCommand;
import dev.btw.cli.command.ExportCommand;
import dev.btw.cli.command.FetchCommand;
import dev.btw.cli.command.PredictCommand;
import dev.btw.cli.command.ReportCommand;
import dev.btw.cli.command.TrainCommand;
import dev.btw.cli.command.WeightsCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registry of subcommands, in the order {@code btw --help} lists them: the product's own (add a new one
 * here), then those that other modules on the class path provide as {@link Command} services (the benchmarks of
 * {@code btw-bench}: {@code btw bench ...}), in name order.
 */
final class Commands {

    private Commands() {}

    static List<Command> all() {
        List<Command> all = new ArrayList<>(List.of(
                new DemoCommand(),
                new FetchCommand(),
                new DataCommand(),
                new EncodeCommand(),
                new TrainCommand(),
                new EvaluateCommand(),
                new ExportCommand(),
                new PredictCommand(),
                new ReportCommand(),
                new WeightsCommand()));
        List<Command> provided = new ArrayList<>();
        ServiceLoader.load(Command.class).forEach(provided::add);
        provided.sort(Comparator.comparing(Command::name));
        all.addAll(provided);
        return all;
    }
}

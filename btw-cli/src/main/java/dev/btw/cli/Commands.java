package dev.btw.cli;

import dev.btw.cli.command.BenchEncodeCommand;
import dev.btw.cli.command.BenchInferCommand;
import dev.btw.cli.command.BenchScaleCommand;
import dev.btw.cli.command.BenchSuiteCommand;
import dev.btw.cli.command.BenchTrainCommand;
import dev.btw.cli.command.BenchWeightsCommand;
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
import java.util.List;

/** The registry of subcommands, in the order {@code btw --help} lists them. Add a new command here. */
final class Commands {

    private Commands() {}

    static List<Command> all() {
        return List.of(
                new DemoCommand(),
                new FetchCommand(),
                new DataCommand(),
                new EncodeCommand(),
                new TrainCommand(),
                new EvaluateCommand(),
                new ExportCommand(),
                new PredictCommand(),
                new ReportCommand(),
                new WeightsCommand(),
                new BenchWeightsCommand(),
                new BenchEncodeCommand(),
                new BenchInferCommand(),
                new BenchTrainCommand(),
                new BenchScaleCommand(),
                new BenchSuiteCommand());
    }
}

package dev.btw.cli;

import java.util.List;

/** The registry of subcommands, in the order {@code btw --help} lists them. Add a new command here. */
final class Commands {

    private Commands() {}

    static List<Command> all() {
        return List.of(
                new dev.btw.cli.command.DemoCommand(),
                new dev.btw.cli.command.FetchCommand(),
                new dev.btw.cli.command.DataCommand(),
                new dev.btw.cli.command.EncodeCommand(),
                new dev.btw.cli.command.TrainCommand(),
                new dev.btw.cli.command.EvaluateCommand(),
                new dev.btw.cli.command.ExportCommand(),
                new dev.btw.cli.command.PredictCommand(),
                new dev.btw.cli.command.ReportCommand(),
                new dev.btw.cli.command.WeightsCommand(),
                new dev.btw.cli.command.BenchWeightsCommand(),
                new dev.btw.cli.command.BenchEncodeCommand(),
                new dev.btw.cli.command.BenchInferCommand(),
                new dev.btw.cli.command.BenchTrainCommand(),
                new dev.btw.cli.command.BenchScaleCommand(),
                new dev.btw.cli.command.BenchSuiteCommand()
        );
    }
}

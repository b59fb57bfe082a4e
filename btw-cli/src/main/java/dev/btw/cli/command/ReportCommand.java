package dev.btw.cli.command;

import dev.btw.cli.Command;
import dev.btw.cli.report.RunReport;
import dev.btw.core.io.AtomicFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw report --run DIR [--out FILE]}: writes a self-contained HTML page (metrics per method and split,
 * weight trajectories, MI shares, smoothing factor, instance-weight histograms) for a finished run.
 */
public final class ReportCommand implements Command {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "write a self-contained HTML report of a run directory";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("run")
                .hasArg()
                .argName("DIR")
                .required()
                .desc("the run directory written by 'btw train'")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("FILE")
                .desc("where to write the page (default DIR/report.html)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        Path run = Path.of(line.getOptionValue("run"));
        Path target = line.hasOption("out") ? Path.of(line.getOptionValue("out")) : run.resolve("report.html");
        String html = new RunReport(run).render();
        AtomicFiles.writeString(target, html);
        out.println("report: " + target);
        return 0;
    }
}

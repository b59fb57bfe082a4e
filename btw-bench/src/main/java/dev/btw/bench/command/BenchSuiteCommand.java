package dev.btw.bench.command;

import dev.btw.bench.suite.ResultsPage;
import dev.btw.bench.suite.SuiteDataset;
import dev.btw.bench.suite.SuitePlan;
import dev.btw.bench.suite.SuiteRunner;
import dev.btw.bench.suite.SuiteWorkers;
import dev.btw.cli.Command;
import dev.btw.cli.command.TrainCommand;
import dev.btw.core.BtwException;
import dev.btw.data.DataRecipes;
import dev.btw.data.RecipeOptions;
import dev.btw.data.VideoMnistRecipe;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench suite [--quick] [--datasets LIST] ...}: the benchmark suite on the data recipes (see
 * {@link dev.btw.bench.suite}); writes the run directories into a work folder, then the results page and its plots.
 */
public final class BenchSuiteCommand implements Command {

    /**
     * The data sets of the full suite; the fifth, {@code video-mnist}, is the paper-shaped one: text + audio + video
     * from one {@code .mp4} per instance.
     */
    public static final List<String> FULL =
            List.of("diabetes", "parkinsons", "av-mnist", "sentiment", VideoMnistRecipe.NAME);
    /**
     * The data sets of the quick suite. {@code video-mnist} is left out: building its clips (sox per clip, FFmpeg)
     * and encoding three modalities, the speech and clip encoders fetched or loaded first, costs minutes on two
     * cores, where the quick suite is a check of seconds; {@code --quick --datasets video-mnist} runs it.
     */
    public static final List<String> QUICK = List.of("diabetes", "parkinsons");

    @Override
    public String name() {
        return "bench suite";
    }

    @Override
    public String summary() {
        return "the benchmark suite: references, fusion and BTW rules over seeds, noise sweeps; writes RESULTS.md";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("quick")
                .desc("2 seeds, a tiny model, diabetes and parkinsons "
                        + "(minutes); results go to the work folder unless --results is given")
                .get());
        o.addOption(opt(
                "datasets",
                "LIST",
                "comma-separated recipe names (default: " + String.join(",", FULL) + "; quick: "
                        + String.join(",", QUICK) + ")"));
        o.addOption(opt("config", "NAME=PATH", "a data set given by its config instead of a recipe (repeatable)"));
        o.addOption(opt(
                "work",
                "DIR",
                "the work folder for run directories (default $BTW_HOME/bench-suite/"
                        + "full or .../quick); rerunning resumes"));
        o.addOption(opt(
                "seeds",
                "N|LIST|A-B",
                "seeds: a count N (at most 100), a comma list or a range A-B (default 1111-1115; quick 1111-1112)"));
        o.addOption(opt("set", "key=value", "an extra config override for every data set (repeatable)"));
        o.addOption(opt(
                "phases",
                "LIST",
                "the phases to run, of main, sweeps, variants, references, sweep-references, sweep-scale "
                        + "(default: main, sweeps, references, to stay within two hours; --quick: all). variants compare trigger, "
                        + "inference policy and scale; references compare btw.references out-of-fold and validation "
                        + "with in-sample on the main data, sweep-references under the most noise modalities and the "
                        + "corrupted copy, sweep-scale btw.scale mean-one against sum-to-one there"));
        o.addOption(Option.builder()
                .longOpt("no-sweeps")
                .desc("skip the noise and corrupted-copy sweeps")
                .get());
        o.addOption(opt("results", "FILE", "the results page (default docs/RESULTS.md; quick: WORK/RESULTS.md)"));
        o.addOption(opt("plots", "DIR", "where the SVG plots go (default: results/ beside the results page)"));
        o.addOption(opt(
                "notes",
                "FILE",
                "hand-written Markdown inlined at the end of the page (default: "
                        + "NOTES.md in the plots folder, when present)"));
        o.addOption(Option.builder()
                .longOpt("reports")
                .desc("also write the HTML report of each data set's main "
                        + "run (first seed) into the plots folder, linked from the page")
                .get());
        o.addOption(Option.builder()
                .longOpt("report-only")
                .desc("rebuild the page from the work folder; train " + "nothing")
                .get());
        o.addOption(Option.builder()
                .longOpt("quiet")
                .desc("no progress lines on stderr")
                .get());
        o.addOption(opt(
                "jobs",
                "N",
                "train in N processes at once (default 1); each trains single-threaded, so "
                        + "N = the number of cores is fastest on a quiet machine"));
        o.addOption(Option.builder()
                .longOpt("train-only")
                .desc("train what is left and write no page (what " + "each extra process of --jobs runs)")
                .get());
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        boolean quick = line.hasOption("quick");
        SuitePlan plan = quick ? SuitePlan.quickPlan() : SuitePlan.full();
        if (line.hasOption("seeds")) {
            plan = plan.withSeeds(TrainCommand.seeds(line.getOptionValue("seeds"), plan.seeds()));
        }
        if (line.hasOption("set")) {
            plan = plan.withExtraOverrides(TrainCommand.overrides(line));
        }
        if (line.hasOption("phases")) {
            plan = plan.withPhases(Arrays.stream(line.getOptionValue("phases").split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .toList());
        }
        if (line.hasOption("no-sweeps")) {
            plan = plan.withSweeps(false);
        }
        Path work = line.hasOption("work")
                ? Path.of(line.getOptionValue("work"))
                : DataRecipes.home().resolve("bench-suite").resolve(quick ? "quick" : "full");
        Path results = line.hasOption("results")
                ? Path.of(line.getOptionValue("results"))
                : quick ? work.resolve("RESULTS.md") : Path.of("docs", "RESULTS.md");
        Path parent = results.toAbsolutePath().getParent();
        Path plots = line.hasOption("plots") ? Path.of(line.getOptionValue("plots")) : parent.resolve("results");
        Path notes = line.hasOption("notes") ? Path.of(line.getOptionValue("notes")) : plots.resolve("NOTES.md");
        PrintStream progress = line.hasOption("quiet") ? null : err;
        int jobs = jobs(line);
        if (line.hasOption("train-only")) {
            new SuiteRunner(plan, work, progress).trainOnly(datasets(line, quick, progress));
            return 0;
        }
        if (!line.hasOption("report-only")) {
            List<SuiteDataset> datasets = datasets(line, quick, progress);
            new SuiteRunner(plan, work, progress)
                    .run(datasets, commandLine(line), () -> SuiteWorkers.start(jobs - 1, workerArguments(line, work)));
        }
        new ResultsPage(work, results, plots, notes)
                .withReports(line.hasOption("reports"))
                .write();
        out.println("results: " + results);
        out.println("plots:   " + plots);
        out.println("work:    " + work);
        return 0;
    }

    private static int jobs(CommandLine line) {
        if (!line.hasOption("jobs")) {
            return 1;
        }
        try {
            int n = Integer.parseInt(line.getOptionValue("jobs").trim());
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new BtwException("--jobs must be a whole number from 1 to 64, got '" + line.getOptionValue("jobs") + "'");
    }

    /** The options that select the work, for the worker processes; page options stay with this process. */
    private static List<String> workerArguments(CommandLine line, Path work) {
        Set<String> pageOnly =
                Set.of("jobs", "reports", "results", "plots", "notes", "report-only", "train-only", "work", "verbose");
        List<String> args =
                new ArrayList<>(List.of("--work", work.toAbsolutePath().toString()));
        for (Option o : line.getOptions()) {
            if (pageOnly.contains(o.getLongOpt())) {
                continue;
            }
            args.add("--" + o.getLongOpt());
            if (o.hasArg()) {
                args.add(o.getValue());
            }
        }
        return args;
    }

    private static List<SuiteDataset> datasets(CommandLine line, boolean quick, PrintStream progress) {
        Map<String, Path> configs = new LinkedHashMap<>();
        if (line.hasOption("config")) {
            for (String c : line.getOptionValues("config")) {
                int eq = c.indexOf('=');
                if (eq <= 0 || eq == c.length() - 1) {
                    throw new BtwException("--config expects NAME=PATH, got '" + c + "'");
                }
                configs.put(c.substring(0, eq), Path.of(c.substring(eq + 1)));
            }
        }
        List<String> names = line.hasOption("datasets")
                ? Arrays.stream(line.getOptionValue("datasets").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList()
                : configs.isEmpty() ? (quick ? QUICK : FULL) : List.of();
        List<SuiteDataset> out = new ArrayList<>();
        RecipeOptions options = quick ? RecipeOptions.quickBuild() : RecipeOptions.defaults();
        for (String n : names) {
            Path config = DataRecipes.get(n)
                    .build(DataRecipes.home(), options, s -> {
                        if (progress != null) {
                            progress.println(n + ": " + s);
                        }
                    })
                    .config();
            out.add(new SuiteDataset(n, config));
        }
        configs.forEach((n, p) -> out.add(new SuiteDataset(n, p)));
        if (out.isEmpty()) {
            throw new BtwException("bench suite: no data set given");
        }
        return out;
    }

    private static String commandLine(CommandLine line) {
        StringBuilder s = new StringBuilder("btw bench suite");
        for (Option o : line.getOptions()) {
            if (o.getLongOpt().equals("quiet") || o.getLongOpt().equals("train-only")) {
                continue;
            }
            if (o.hasArg()) {
                String v = o.getValue();
                boolean local =
                        Set.of("config", "work", "results", "plots", "notes").contains(o.getLongOpt());
                s.append(" --")
                        .append(o.getLongOpt())
                        .append(' ')
                        .append(
                                local
                                        ? "<" + o.getArgName() + ">"
                                        : v.matches("[A-Za-z0-9_.,=/-]+") ? v : "'" + v + "'");
            } else {
                s.append(" --").append(o.getLongOpt());
            }
        }
        return s.toString();
    }
}

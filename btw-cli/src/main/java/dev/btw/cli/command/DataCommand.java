package dev.btw.cli.command;

import dev.btw.cli.AcceptsArguments;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.data.DataRecipe;
import dev.btw.data.DataRecipes;
import dev.btw.data.RecipeOptions;
import dev.btw.data.RecipeResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw data [NAME...] [--quick] [--n N] [--seed S] [--list]}: builds the named data recipes (all when none
 * is named) under {@code $BTW_HOME/data/} and prints where each manifest and config are. Idempotent: a complete,
 * checksummed build with the same options is left alone.
 */
public final class DataCommand implements Command, AcceptsArguments {

    @Override
    public String name() {
        return "data";
    }

    @Override
    public String summary() {
        return "build data sets (manifest + config) from pinned, checksummed packages into the cache";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("list")
                .desc("list the recipes, their sizes and licences")
                .get());
        o.addOption(Option.builder()
                .longOpt("quick")
                .desc("build the small subset (for --quick demos and tests)")
                .get());
        o.addOption(Option.builder()
                .longOpt("n")
                .hasArg()
                .argName("N")
                .desc("number of instances")
                .get());
        o.addOption(Option.builder()
                .longOpt("seed")
                .hasArg()
                .argName("S")
                .desc("seed of every random choice (default " + RecipeOptions.DEFAULT_SEED + ")")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        if (line.hasOption("list")) {
            for (DataRecipe r : DataRecipes.all().values()) {
                out.printf("%-11s %s%n", r.name(), r.description());
                out.printf("%-11s full %d, quick %d instances%n", "", r.defaultSize(), r.quickSize());
                out.printf("%-11s %s%n", "", r.licence());
            }
            return 0;
        }
        int n = line.hasOption("n") ? parse(line.getOptionValue("n"), "--n") : 0;
        if (line.hasOption("n") && n <= 0) {
            throw new BtwException("--n must be positive; got " + n);
        }
        long seed = line.hasOption("seed") ? parse(line.getOptionValue("seed"), "--seed") : RecipeOptions.DEFAULT_SEED;
        RecipeOptions options = new RecipeOptions(n, line.hasOption("quick"), seed);
        build(line.getArgList().isEmpty() ? DataRecipes.names() : line.getArgList(), options, out, err);
        return 0;
    }

    /**
     * Builds recipes into {@code $BTW_HOME} and prints where their manifests and configs are; for other commands
     * (such as {@code btw fetch NAME}) that hand data set names over.
     *
     * @param names recipe names (all are checked before anything is built)
     * @param options size and seed
     * @param out where the result lines go
     * @param err where progress goes
     * @return the results, in order
     * @throws BtwException when a name is unknown or a build fails
     */
    public static List<RecipeResult> build(
            List<String> names, RecipeOptions options, PrintStream out, PrintStream err) {
        List<DataRecipe> recipes = names.stream().map(DataRecipes::get).toList();
        Path home = DataRecipes.home();
        List<RecipeResult> results = new ArrayList<>();
        for (DataRecipe r : recipes) {
            RecipeResult res = r.build(home, options, s -> err.println(s));
            out.printf(
                    Locale.ROOT,
                    "%s: %s, %d instances (train %d, val %d, test %d), %.1f s%n",
                    res.name(),
                    res.built() ? "built" : "up to date",
                    res.rows(),
                    res.splits().get("train"),
                    res.splits().get("val"),
                    res.splits().get("test"),
                    res.elapsed().toMillis() / 1000.0);
            out.println("  manifest " + res.manifest());
            out.println("  config   " + res.config());
            for (Path extra : res.extraConfigs()) {
                out.println("  config   " + extra);
            }
            results.add(res);
        }
        return results;
    }

    private static int parse(String v, String option) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BtwException(option + " expects a whole number; got '" + v + "'");
        }
    }
}

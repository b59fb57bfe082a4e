package dev.btw.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.FusionData;
import dev.btw.app.experiment.FusionExperiment;
import dev.btw.app.experiment.StoreFeatures;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.run.RunDirectory;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw train --config C --out DIR [--methods LIST] [--seeds N] [--set key=value]... [--resume]}: encodes
 * what the feature store lacks (tabular configs read the manifest directly), trains the unimodal references,
 * then every fusion method for every seed, and writes the run directory.
 */
public final class TrainCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train unimodal references and the fusion methods; write the run directory (resumable)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("config")
                .hasArg()
                .argName("C")
                .required()
                .desc("the config (YAML)")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("DIR")
                .required()
                .desc("the run directory")
                .get());
        o.addOption(Option.builder()
                .longOpt("methods")
                .hasArg()
                .argName("LIST")
                .desc("comma-separated methods: unimodal:<modality>, late-average, uniform, linear (the early-fusion "
                        + "linear baseline), kl*mi, exp(-kl)*mi, kl, mi, kl*cc, cc (default: every unimodal reference, "
                        + "late-average, uniform, btw.rule)")
                .get());
        o.addOption(Option.builder()
                .longOpt("seeds")
                .hasArg()
                .argName("N|LIST|A-B")
                .desc("number of seeds (train.seeds, continued by +1 when N is larger; at most 100), a comma list, "
                        + "or a range A-B of seeds")
                .get());
        o.addOption(Option.builder()
                .longOpt("set")
                .hasArg()
                .argName("key=value")
                .desc("override a config key (repeatable)")
                .get());
        o.addOption(Option.builder()
                .longOpt("resume")
                .desc("continue an interrupted run in DIR")
                .get());
        o.addOption(Option.builder()
                .longOpt("force")
                .desc("write into an --out folder that holds files btw did not write (its config.yaml is replaced)")
                .get());
        o.addOption(Option.builder()
                .longOpt("quiet")
                .desc("no per-epoch progress on stderr")
                .get());
        o.addOption(Option.builder()
                .longOpt("verbose")
                .desc("stack traces on failure")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        BtwConfig config = BtwConfig.load(Path.of(line.getOptionValue("config")), overrides(line));
        // before the (possibly long) encoding: a user's folder is refused at once
        RunDirectory.of(Path.of(line.getOptionValue("out"))).requireOwnFolder(line.hasOption("force"));
        FusionData data = TabularFeatures.applies(config)
                ? TabularFeatures.load(config)
                : StoreFeatures.load(config, new ProgressLine(err, System.console() != null));
        Path dir = Path.of(line.getOptionValue("out"));
        FusionExperiment experiment = new FusionExperiment(config, data, dir)
                .withResume(line.hasOption("resume"))
                .withForce(line.hasOption("force"))
                .withProgress(line.hasOption("quiet") ? null : err);
        // The library names its own parameters; the messages a user sees name the option they gave.
        if (line.hasOption("methods")) {
            try {
                experiment.withMethods(
                        Arrays.asList(line.getOptionValue("methods").split(",")));
            } catch (BtwException e) {
                throw new BtwException("--methods: " + e.getMessage(), e);
            }
        }
        if (line.hasOption("seeds")) {
            List<Integer> seeds =
                    seeds(line.getOptionValue("seeds"), config.train().seeds());
            try {
                experiment.withSeeds(seeds);
            } catch (BtwException e) {
                throw new BtwException("--seeds: " + e.getMessage(), e);
            }
        }
        ObjectNode metrics = experiment.run();
        printSummary(metrics, out);
        out.println("run directory: " + dir);
        return 0;
    }

    /**
     * @param line a command line with the repeatable {@code --set key=value} option
     * @return its values, checked: the library names a malformed one a "config override", the user sees the option
     */
    public static List<String> overrides(CommandLine line) {
        List<String> sets = line.hasOption("set") ? List.of(line.getOptionValues("set")) : List.of();
        try {
            BtwConfig.checkOverrides(sets);
        } catch (BtwException e) {
            throw new BtwException("--set: " + e.getMessage(), e);
        }
        return sets;
    }

    /** The largest seed count {@code --seeds N} accepts: a larger N is far more likely a seed typed as a count. */
    static final int MAX_SEED_COUNT = 100;

    /**
     * @param value {@code --seeds}: a count N (the configured seeds, continued by +1), a comma list, or an
     *     inclusive range {@code A-B}
     * @param configured the configured seeds
     * @return the seeds
     */
    public static List<Integer> seeds(String value, List<Integer> configured) {
        String v = value.trim();
        List<Integer> s = new ArrayList<>();
        try {
            if (v.contains(",")) {
                for (String x : v.split(",")) {
                    s.add(Integer.parseInt(x.trim()));
                }
                return s;
            }
            if (v.matches("[0-9]+-[0-9]+")) {
                int from = Integer.parseInt(v.substring(0, v.indexOf('-')));
                int to = Integer.parseInt(v.substring(v.indexOf('-') + 1));
                if (to < from || to - from >= MAX_SEED_COUNT) {
                    throw new BtwException(
                            "--seeds " + v + ": a range A-B needs A <= B and at most " + MAX_SEED_COUNT + " seeds");
                }
                for (int x = from; x <= to; x++) {
                    s.add(x);
                }
                return s;
            }
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            if (n > MAX_SEED_COUNT) {
                throw new BtwException(
                        "--seeds " + v + " asks for " + n + " seeds (a single number is a count, at most "
                                + MAX_SEED_COUNT + "); to run the one seed " + n + ", write --seeds " + n + "-" + n);
            }
            for (int i = 0; i < n; i++) {
                s.add(i < configured.size() ? configured.get(i) : s.get(i - 1) + 1);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new BtwException(
                    "--seeds must be a positive count, a comma list of seeds or a range A-B, got '" + value + "'");
        }
    }

    private static void printSummary(ObjectNode metrics, PrintStream out) {
        String monitor = "regression".equals(metrics.get("task").asText()) ? "mae" : "f1_macro";
        String second = "regression".equals(metrics.get("task").asText()) ? "r2" : "auroc";
        out.printf("%-26s %-22s %-22s%n", "method", "test " + monitor, "test " + second);
        Iterator<Map.Entry<String, JsonNode>> it = metrics.get("methods").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode test = e.getValue().get("test");
            out.printf("%-26s %-22s %-22s%n", e.getKey(), cell(test.get(monitor)), cell(test.get(second)));
        }
    }

    private static String cell(JsonNode m) {
        if (m == null) {
            return "-";
        }
        return String.format(
                Locale.ROOT,
                "%.4f +- %.4f",
                m.get("mean").asDouble(),
                m.get("std").asDouble());
    }
}

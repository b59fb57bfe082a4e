package dev.btw.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.ClassPredictions;
import dev.btw.core.io.Json;
import dev.btw.core.io.PredictionTables;
import dev.btw.core.io.RegressionPredictions;
import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.EmaSmoother;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.RefreshResult;
import dev.btw.core.weights.WeightScale;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw weights}: one BTW refresh from prediction files of any origin, written as a weights CSV and an
 * optional JSON summary. A thin layer over {@link BtwRefresh}, {@link EmaSmoother} and {@link PredictionTables}.
 */
public final class WeightsCommand implements Command {

    private static final ObjectMapper JSON = Json.MAPPER;

    @Override
    public String name() {
        return "weights";
    }

    @Override
    public String summary() {
        return "BTW weights (one refresh) from unimodal and fused prediction files";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("task")
                .hasArg()
                .argName("T")
                .desc("(required) regression or classification")
                .get());
        o.addOption(Option.builder()
                .longOpt("uni")
                .hasArg()
                .argName("U.csv")
                .desc("(required) unimodal predictions: id, then one column per modality (regression) or one column "
                        + "<modality>:<class> per modality and class with probabilities (classification); an empty "
                        + "cell means the modality is missing for that instance")
                .get());
        o.addOption(Option.builder()
                .longOpt("multi")
                .hasArg()
                .argName("Q.csv")
                .desc(
                        "(required) fused predictions: id, then prediction (regression) or one probability column per class; "
                                + "a label column is ignored")
                .get());
        o.addOption(Option.builder()
                .longOpt("labels")
                .hasArg()
                .argName("Y.csv")
                .desc("id,label (regression only): needed by --sigma residual; with --sigma global and no "
                        + "--sigmas, the sigmas are the RMS residuals on these labels")
                .get());
        o.addOption(Option.builder()
                .longOpt("rule")
                .hasArg()
                .argName("R")
                .desc("kl*mi (default: the reference's rule; a config's default is exp(-kl)*mi), exp(-kl)*mi, kl, mi, "
                        + "cc, kl*cc or uniform")
                .get());
        o.addOption(Option.builder()
                .longOpt("sigma")
                .hasArg()
                .argName("P")
                .desc("regression sigma policy: residual (default; needs --labels) or global")
                .get());
        o.addOption(Option.builder()
                .longOpt("sigmas")
                .hasArg()
                .argName("LIST")
                .desc("for --sigma global: each modality's train RMS residual and the fused one, as "
                        + "name=value,...,fused=value (e.g. text=0.8,audio=1.1,fused=0.6); without it --labels is "
                        + "required and the sigmas are computed from it")
                .get());
        o.addOption(Option.builder()
                .longOpt("sigma-floor")
                .hasArg()
                .argName("X")
                .desc("sigma_min (default 1e-3 times the label standard deviation, or of the fused predictions "
                        + "without labels)")
                .get());
        o.addOption(Option.builder()
                .longOpt("scale")
                .hasArg()
                .argName("S")
                .desc("sum-to-one or mean-one (default: the config's btw.scale default, " + ConfigDefaults.BTW.scale()
                        + ", so these weights match a trained model's)")
                .get());
        o.addOption(Option.builder()
                .longOpt("previous")
                .hasArg()
                .argName("W.csv")
                .desc("the previous weights (same ids and modalities): the output is then the EMA "
                        + "s*f + (1-s)*W; without it the output is the target weights f")
                .get());
        o.addOption(Option.builder()
                .longOpt("smoothing")
                .hasArg()
                .argName("S")
                .desc("the EMA factor s in [0, 1] used with --previous (default 0.5)")
                .get());
        o.addOption(Option.builder()
                .longOpt("seed")
                .hasArg()
                .argName("N")
                .desc("seed of the KSG tie-breaking jitter (default 0, as scikit-learn's random_state=0)")
                .get());
        o.addOption(Option.builder()
                .longOpt("neighbours")
                .hasArg()
                .argName("K")
                .desc("KSG neighbours k (default 3)")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("W.csv")
                .desc("(required) output weights: id, then one weight column per modality (0 where missing)")
                .get());
        o.addOption(Option.builder()
                .longOpt("summary")
                .hasArg()
                .argName("S.json")
                .desc("output summary: rule, mi (normalised share per modality), mean_weight, n")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        for (String required : List.of("task", "uni", "multi", "out")) {
            if (!line.hasOption(required)) {
                throw new BtwException("missing required option --" + required + " (see 'btw weights --help')");
            }
        }
        Task task = Task.parse(line.getOptionValue("task"));
        Path uniFile = Path.of(line.getOptionValue("uni"));
        Path multiFile = Path.of(line.getOptionValue("multi"));
        Path outFile = Path.of(line.getOptionValue("out"));
        BtwRefresh.Builder builder = BtwRefresh.builder();
        CombinationRule rule = CombinationRule.parse(line.getOptionValue("rule", CombinationRule.REFERENCE.toString()));
        builder.optRule(rule)
                .optScale(WeightScale.parse(
                        line.getOptionValue("scale", ConfigDefaults.BTW.scale().toString())));
        builder.optSeed(parseLong(line, "seed", 0));
        builder.optNeighbours((int) parseLong(line, "neighbours", 3));
        if (line.hasOption("sigma-floor")) {
            builder.optSigmaFloor(parseDouble(line, "sigma-floor", Double.NaN));
        }
        double smoothing = parseDouble(line, "smoothing", EmaSmoother.DEFAULT_INITIAL);
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new BtwException("--smoothing must be in [0, 1], got " + line.getOptionValue("smoothing"));
        }
        if (line.hasOption("smoothing") && !line.hasOption("previous")) {
            throw new BtwException("--smoothing needs --previous (the weights to smooth)");
        }

        RefreshResult result;
        if (task == Task.REGRESSION) {
            SigmaPolicy sigma = SigmaPolicy.parse(line.getOptionValue("sigma", "residual"));
            builder.optSigmaPolicy(sigma);
            RegressionPredictions uni = PredictionTables.readUnimodalRegression(uniFile);
            double[] fused = PredictionTables.readFusedRegression(multiFile, uni.ids(), uniFile);
            double[] labels = line.hasOption("labels")
                    ? PredictionTables.readLabels(Path.of(line.getOptionValue("labels")), uni.ids(), uniFile)
                    : null;
            if (sigma == SigmaPolicy.RESIDUAL && labels == null && rule.usesDivergence()) {
                throw new BtwException("--sigma residual needs --labels (or use --sigma global with --sigmas)");
            }
            if (line.hasOption("sigmas")) {
                if (sigma != SigmaPolicy.GLOBAL) {
                    throw new BtwException("--sigmas is only used with --sigma global");
                }
                builder.optGlobalSigmas(parseSigmas(
                        line.getOptionValue("sigmas"), uni.byModality().keySet()));
            } else if (sigma == SigmaPolicy.GLOBAL && labels == null && rule.usesDivergence()) {
                throw new BtwException("--sigma global needs --sigmas or --labels to compute the sigmas from");
            }
            result = builder.build().regression(uni.ids(), uni.byModality(), fused, labels);
        } else {
            for (String opt : List.of("sigma", "sigmas", "sigma-floor")) {
                if (line.hasOption(opt)) {
                    throw new BtwException("--" + opt + " applies to regression only");
                }
            }
            if (line.hasOption("labels")) {
                err.println("btw weights: note: --labels is not used for classification");
            }
            ClassPredictions uni = PredictionTables.readUnimodalClassification(uniFile);
            double[][] fused = PredictionTables.readFusedClassification(multiFile, uni.ids(), uni.classes(), uniFile);
            result = builder.build().classification(uni.ids(), uni.byModality(), fused);
        }

        ModalityWeights weights = result.targets();
        if (line.hasOption("previous")) {
            Path previousFile = Path.of(line.getOptionValue("previous"));
            ModalityWeights previous = ModalityWeights.readCsv(previousFile);
            checkSameTable(previous, weights, previousFile, uniFile);
            weights = EmaSmoother.blend(previous, weights, smoothing);
        }
        weights.writeCsv(outFile);
        if (line.hasOption("summary")) {
            ObjectNode s = JSON.createObjectNode();
            s.put("task", task.toString());
            s.put("rule", rule.toString());
            s.set("mi", JSON.valueToTree(result.shares()));
            s.set("mean_weight", JSON.valueToTree(weights.means()));
            s.put("n", weights.size());
            if (line.hasOption("previous")) {
                s.put("smoothing", smoothing);
            }
            AtomicFiles.writeString(
                    Path.of(line.getOptionValue("summary")),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
        }
        err.println("btw weights: " + weights.size() + " instances, "
                + weights.modalities().size() + " modalities -> " + outFile);
        return 0;
    }

    private static void checkSameTable(
            ModalityWeights previous, ModalityWeights current, Path previousFile, Path uniFile) {
        if (!new HashSet<>(previous.modalities()).equals(new HashSet<>(current.modalities()))) {
            throw new BtwException(previousFile + ": modalities " + previous.modalities() + " differ from " + uniFile
                    + "'s " + current.modalities());
        }
        for (String id : previous.ids()) {
            if (!current.contains(id)) {
                throw new BtwException(previousFile + ": unknown id '" + id + "' (not in " + uniFile + ")");
            }
        }
        for (String id : current.ids()) {
            if (!previous.contains(id)) {
                throw new BtwException(previousFile + ": no row for id '" + id + "' (present in " + uniFile + ")");
            }
        }
    }

    /** Parses {@code name=value,...,fused=value}. */
    static GlobalSigmas parseSigmas(String text, Set<String> modalities) {
        Map<String, Double> sigmas = new LinkedHashMap<>();
        Double fused = null;
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new BtwException("--sigmas: '" + part + "' is not name=value");
            }
            String name = part.substring(0, eq).trim();
            double v;
            try {
                v = Double.parseDouble(part.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new BtwException(
                        "--sigmas: value of '" + name + "' is not a number: '" + part.substring(eq + 1) + "'");
            }
            if (name.equals("fused")) {
                fused = v;
            } else if (!modalities.contains(name)) {
                throw new BtwException("--sigmas: unknown modality '" + name + "'; modalities are " + modalities);
            } else {
                sigmas.put(name, v);
            }
        }
        if (fused == null) {
            throw new BtwException("--sigmas: missing fused=<value>");
        }
        for (String m : modalities) {
            if (!sigmas.containsKey(m)) {
                throw new BtwException("--sigmas: missing modality '" + m + "'");
            }
        }
        return new GlobalSigmas(sigmas, fused);
    }

    private static long parseLong(CommandLine line, String option, long fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        try {
            return Long.parseLong(line.getOptionValue(option).trim());
        } catch (NumberFormatException e) {
            throw new BtwException("--" + option + ": not an integer: '" + line.getOptionValue(option) + "'");
        }
    }

    private static double parseDouble(CommandLine line, String option, double fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        try {
            return Double.parseDouble(line.getOptionValue(option).trim());
        } catch (NumberFormatException e) {
            throw new BtwException("--" + option + ": not a number: '" + line.getOptionValue(option) + "'");
        }
    }
}

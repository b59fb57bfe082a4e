package dev.btw.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.app.experiment.MethodName;
import dev.btw.app.run.RunDirectory;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.io.Json;
import dev.btw.core.metrics.PredictionFileScore;
import dev.btw.core.metrics.SeedSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw evaluate --run DIR [--split S]}: scores a finished run again from its prediction files (one per method,
 * seed and split) and prints each method's metrics as mean ± std over seeds.
 */
public final class EvaluateCommand implements Command {

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "score a finished run from its prediction files (mean ± std over seeds)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("run")
                .hasArg()
                .argName("DIR")
                .required()
                .desc("the run directory")
                .get());
        o.addOption(Option.builder()
                .longOpt("split")
                .hasArg()
                .argName("S")
                .desc("train, val or test (default test)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws IOException {
        Path run = Path.of(line.getOptionValue("run"));
        String split = line.getOptionValue("split", "test");
        if (!List.of("train", "val", "test").contains(split)) {
            throw new BtwException("--split must be train, val or test; got '" + split + "'");
        }
        RunDirectory dir = RunDirectory.of(run);
        if (!dir.isFinished()) {
            throw new BtwException(run + ": no " + RunDirectory.METRICS + "; not a finished run directory");
        }
        JsonNode metrics = Json.MAPPER.readTree(dir.metrics().toFile());
        List<Path> seedDirs = dir.predictionSeedFolders();
        Set<String> names = new LinkedHashSet<>();
        List<String> rows = new ArrayList<>();
        List<Map<String, SeedSummary>> summaries = new ArrayList<>();
        for (var it = metrics.path("methods").fieldNames(); it.hasNext(); ) {
            String method = it.next();
            String file = MethodName.slug(method) + "-" + split + ".csv";
            List<Map<String, Double>> runs = new ArrayList<>();
            for (Path seed : seedDirs) {
                if (Files.exists(seed.resolve(file))) {
                    runs.add(PredictionFileScore.score(seed.resolve(file)));
                }
            }
            if (runs.isEmpty() && Files.exists(dir.predictions().resolve(file))) {
                runs.add(PredictionFileScore.score(dir.predictions().resolve(file)));
            }
            if (runs.isEmpty()) {
                continue;
            }
            Map<String, SeedSummary> summary = SeedSummary.byMetric(runs);
            names.addAll(summary.keySet());
            rows.add(method);
            summaries.add(summary);
        }
        if (rows.isEmpty()) {
            throw new BtwException(run + ": no prediction files for split '" + split + "'");
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "method (" + split + ")"));
        for (String n : names) {
            header.append(String.format(Locale.ROOT, " %-20s", n));
        }
        out.println(header.toString().stripTrailing());
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s", rows.get(i)));
            for (String n : names) {
                SeedSummary s = summaries.get(i).get(n);
                sb.append(String.format(
                        Locale.ROOT,
                        " %-20s",
                        s == null ? "" : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.std())));
            }
            out.println(sb.toString().stripTrailing());
        }
        return 0;
    }
}

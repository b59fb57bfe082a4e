package dev.btw.cli.command;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.EncodeResult;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw encode --config C}: fills the feature store ({@code encode.store}) with every modality's vectors.
 * Resumable and incremental: only instances without cached vectors for the current encoder fingerprint are
 * encoded.
 */
public final class EncodeCommand implements Command {

    @Override
    public String name() {
        return "encode";
    }

    @Override
    public String summary() {
        return "encode every modality of a config's manifest into the feature store (resumable, cached)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("config")
                .hasArg()
                .argName("C")
                .desc("the config (YAML), required")
                .get());
        o.addOption(Option.builder()
                .longOpt("set")
                .hasArg()
                .argName("key=value")
                .desc("override a config key (repeatable)")
                .get());
        o.addOption(Option.builder()
                .longOpt("batch")
                .hasArg()
                .argName("B")
                .desc("instances per encoder call (default: encode.batch)")
                .get());
        o.addOption(Option.builder()
                .longOpt("threads")
                .hasArg()
                .argName("T")
                .desc("parallel encoding workers (default: encode.threads, whose 0 means one per core)")
                .get());
        o.addOption(Option.builder()
                .longOpt("store")
                .hasArg()
                .argName("DIR")
                .desc("the feature-store folder (default: encode.store)")
                .get());
        o.addOption(Option.builder()
                .longOpt("verbose")
                .desc("stack traces on failure")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        if (!line.hasOption("config")) {
            throw new BtwException("missing --config C (see 'btw encode --help')");
        }
        BtwConfig config = BtwConfig.load(Path.of(line.getOptionValue("config")), TrainCommand.overrides(line));
        ManifestEncoding.Builder b = ManifestEncoding.builder()
                .setConfig(config)
                .optProgress(new ProgressLine(err, System.console() != null));
        if (line.hasOption("batch")) {
            b.optBatch(positive(line, "batch"));
        }
        if (line.hasOption("threads")) {
            b.optWorkers(positive(line, "threads"));
        }
        if (line.hasOption("store")) {
            b.optStore(Path.of(line.getOptionValue("store")));
        }
        ManifestEncoding encoding = b.build();
        List<EncodeResult> results = encoding.run();
        for (EncodeResult r : results) {
            out.printf(
                    "%s: encoder %s (%s): %d encoded, %d cached, %d missing, %.1f s%s%n",
                    r.modality(),
                    r.encoder(),
                    r.fingerprint(),
                    r.encoded(),
                    r.reused(),
                    r.missing(),
                    r.seconds(),
                    r.encoded() > 0 ? String.format(", %.1f instances/s", r.rate()) : "");
        }
        out.println("feature store: " + encoding.store());
        return 0;
    }

    private static int positive(CommandLine line, String key) {
        String v = line.getOptionValue(key);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BtwException("--" + key + " must be a positive integer, got '" + v + "'");
    }
}

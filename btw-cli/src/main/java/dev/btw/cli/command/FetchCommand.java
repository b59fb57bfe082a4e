package dev.btw.cli.command;

import dev.btw.cli.AcceptsArguments;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.asset.PinnedFile;
import dev.btw.data.DataRecipes;
import dev.btw.data.RecipeOptions;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw fetch [NAME...]}: obtains the model files of the named encoder specs (all specs when none is named)
 * into the cache ({@code $BTW_HOME}, default {@code ~/.cache/btw}), verifying each file's SHA-256. Idempotent: a
 * verified cached file is not fetched again. A name that is a data recipe rather than a spec builds that data set,
 * as {@code btw data NAME} does.
 */
public final class FetchCommand implements Command, AcceptsArguments {

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "fetch encoder model files (or data recipes) into the cache, verifying SHA-256";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("models")
                .hasArg()
                .argName("DIR")
                .desc("a models folder to search first (default: $BTW_MODELS, then the checkout's models/)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        SpecLocator locator = line.hasOption("models")
                ? new SpecLocator(List.of(Path.of(line.getOptionValue("models"))))
                : SpecLocator.defaults();
        List<String> names = line.getArgList().isEmpty() ? locator.names() : line.getArgList();
        if (names.isEmpty()) {
            throw new BtwException("no encoder specs found; pass --models DIR");
        }
        AssetFetcher fetcher = new AssetFetcher();
        for (String name : names) {
            if (!locator.names().contains(name) && DataRecipes.all().containsKey(name)) {
                DataCommand.build(List.of(name), RecipeOptions.defaults(), out, err);
                continue;
            }
            EncoderSpec spec = locator.find(name, Path.of("."));
            for (PinnedFile a : spec.files().values()) {
                boolean cached = fetcher.isCached(a);
                long t0 = System.nanoTime();
                Path p = fetcher.fetch(a);
                out.printf(
                        "%-28s %-8s %s (sha256 %s..., %.1f s)%n",
                        a.name(),
                        cached ? "cached" : "fetched",
                        p,
                        a.sha256().substring(0, 12),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        return 0;
    }
}

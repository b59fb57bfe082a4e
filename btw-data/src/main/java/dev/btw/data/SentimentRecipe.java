package dev.btw.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.data.Split;
import dev.btw.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sentiment labelled sentences (Kotzias et al. 2015, UCI), as the test fixtures of npm {@code sentiment@5.0.2}:
 * 3 000 sentences from amazon, imdb and yelp reviews, labelled positive or negative. Three modalities: the text
 * ({@code minilm-l6-v2}), the sentence read aloud by espeak-ng ({@code speech-embedding}; synthetic speech that
 * carries the words but no emotion, a genuinely weak extra modality), and the source site (one-hot columns).
 * Split 60/20/20, stratified by site and label.
 */
public final class SentimentRecipe extends PackageRecipe {

    /** The recipe's name. */
    public static final String NAME = "sentiment";
    /** The NOTICE line for this data set. */
    public static final String LICENCE = "sentiment: \"Sentiment Labelled Sentences\" (Kotzias, Denil, de Freitas and "
            + "Smyth 2015), UCI Machine Learning Repository, CC BY 4.0, as the test fixtures of npm sentiment 5.0.2 "
            + "(MIT); the speech is synthetic, generated with espeak-ng";
    /** The pinned tarball. */
    public static final PinnedFile SENTIMENT = PinnedFile.npmPackage(
            "sentiment", "5.0.2", "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f");
    /** The source sites, in one-hot column order. */
    public static final List<String> SITES = List.of("amazon", "imdb", "yelp");
    /** The espeak-ng voice and words per minute. */
    static final String VOICE = "en-us";

    static final String SPEED = "160";

    /**
     * One sentence.
     *
     * @param site the source site
     * @param text the sentence
     * @param positive whether it is labelled positive
     */
    public record Sentence(String site, String text, boolean positive) {}

    /** Fetches with the ordinary package clients. */
    public SentimentRecipe() {}

    /** @param fetchers makes the asset fetcher (tests substitute a fake) */
    public SentimentRecipe(Function<ToolRunner, AssetSource> fetchers) {
        super(fetchers);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "labelled review sentences (amazon, imdb, yelp): text + synthetic speech (espeak-ng) + source site; "
                + "classification (negative/positive)";
    }

    @Override
    public String licence() {
        return LICENCE;
    }

    @Override
    public int defaultSize() {
        return 3000;
    }

    @Override
    public int quickSize() {
        return 300;
    }

    @Override
    protected int maxSize() {
        return 3000;
    }

    @Override
    protected int version() {
        return 2; // 2: repeated sentences dropped before splitting
    }

    @Override
    public List<PinnedFile> assets() {
        return List.of(SENTIMENT);
    }

    @Override
    protected void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives) {
        Map<String, Path> members = new LinkedHashMap<>();
        for (String site : SITES) {
            members.put("package/test/fixtures/" + site + ".json", raw.resolve(site + ".json"));
        }
        archives.extract(files.get(SENTIMENT), members);
    }

    /**
     * Reads one site's fixture: a JSON array of {@code {"text": ..., "class": 0|1}}; the last, empty entry of each
     * file is dropped.
     *
     * @param file the fixture
     * @param site the site's name
     * @return its sentences, in file order
     * @throws BtwException when an entry other than the last is empty or has no 0/1 class
     */
    public static List<Sentence> read(Path file, String site) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new BtwException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!root.isArray()) {
            throw new BtwException(file + ": expected a JSON array");
        }
        List<Sentence> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String text = e.path("text").asText("").strip();
            JsonNode c = e.get("class");
            boolean empty = text.isEmpty() && (c == null || c.isNull());
            if (empty && i == root.size() - 1) {
                continue;
            }
            if (text.isEmpty() || c == null || !c.isInt() || c.asInt() < 0 || c.asInt() > 1) {
                throw new BtwException(file + ": entry " + (i + 1) + " has no text or no class 0/1");
            }
            out.add(new Sentence(site, text.replaceAll("\\s+", " "), c.asInt() == 1));
        }
        return out;
    }

    @Override
    protected void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress) {
        List<Sentence> all = new ArrayList<>();
        for (String site : SITES) {
            all.addAll(read(raw.resolve(site + ".json"), site));
        }
        if (n > all.size()) {
            throw new BtwException(NAME + ": only " + all.size() + " sentences exist; asked for " + n);
        }
        int[] keep = keep(all, n, seed);
        progress.accept(NAME + ": " + (all.size() - distinct(all).length) + " repeated sentences dropped");
        List<String> keptStrata = new ArrayList<>();
        for (int i : keep) {
            keptStrata.add(stratum(all.get(i)));
        }
        Split[] split = SplitPlan.stratified(keptStrata, seed + 1);
        tools.require("espeak-ng", "espeak-ng");
        tools.require("sox", "sox");
        Path work = out.resolve(".work");
        try {
            Files.createDirectories(work);
            Files.createDirectories(out.resolve("speech"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folders in " + out + ": " + e.getMessage(), e);
        }
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < keep.length; j++) {
            order.add(j);
        }
        Parallel.forEach(
                order, j -> speak(all.get(keep[j]), id(keep[j]), work, out, tools), NAME + ": speech", progress);
        List<String> header = new ArrayList<>(List.of("id", "split", "label", "text", "speech", "site"));
        for (String site : SITES) {
            header.add("site_" + site);
        }
        ManifestTable table = new ManifestTable(header);
        for (int j = 0; j < keep.length; j++) {
            Sentence s = all.get(keep[j]);
            List<String> row = new ArrayList<>(List.of(
                    id(keep[j]),
                    split[j].label(),
                    s.positive() ? "positive" : "negative",
                    s.text(),
                    "speech/" + id(keep[j]) + ".wav",
                    s.site()));
            for (String site : SITES) {
                row.add(site.equals(s.site()) ? "1" : "0");
            }
            table.add(row);
        }
        table.write(out.resolve(MANIFEST));
        List<String> siteCols = new ArrayList<>();
        SITES.forEach(site -> siteCols.add("site_" + site));
        ConfigYaml config = new ConfigYaml(
                        "classification",
                        "Sentiment Labelled Sentences (Kotzias et al. 2015, UCI) via npm sentiment 5.0.2; built by `btw data "
                                + "sentiment`.",
                        "The speech modality is SYNTHETIC: each sentence read by espeak-ng (" + VOICE
                                + "), no emotion.")
                .classes(List.of("negative", "positive"))
                .encoded("text", "minilm-l6-v2", "text")
                .encoded("speech", "speech-embedding", "speech")
                .tabular("site", siteCols);
        DiabetesRecipe.writeString(out.resolve(CONFIG), config.text());
        Staging.deleteTree(work);
        progress.accept(NAME + ": wrote " + table.size() + " sentences");
    }

    /**
     * The sentences a build keeps, before splitting: the first of every repeated sentence only (the fixtures
     * repeat some, and a repeat split across train and test leaks its label), then a stratified subset of n
     * (all when n reaches the number of distinct sentences).
     *
     * @param all every sentence read
     * @param n the requested size
     * @param seed the seed
     * @return indices into {@code all}, each naming a distinct sentence
     */
    static int[] keep(List<Sentence> all, int n, long seed) {
        int[] distinct = distinct(all);
        if (n >= distinct.length) {
            return distinct;
        }
        List<String> strata = new ArrayList<>();
        for (int i : distinct) {
            strata.add(stratum(all.get(i)));
        }
        int[] sub = SplitPlan.subset(strata, n, seed);
        int[] out = new int[sub.length];
        for (int j = 0; j < sub.length; j++) {
            out[j] = distinct[sub[j]];
        }
        return out;
    }

    /** Indices of the first occurrence of every sentence text (case and spacing ignored). */
    static int[] distinct(List<Sentence> all) {
        Set<String> seen = new HashSet<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (seen.add(all.get(i).text().toLowerCase(Locale.ROOT).strip())) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String stratum(Sentence s) {
        return s.site() + "/" + s.positive();
    }

    private static String id(int index) {
        return String.format("sent-%04d", index + 1);
    }

    private static void speak(Sentence s, String id, Path work, Path out, ToolRunner tools) {
        Path text = work.resolve(id + ".txt");
        Path synth = work.resolve(id + ".synth.wav");
        try {
            Files.writeString(text, s.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + text + ": " + e.getMessage(), e);
        }
        tools.run(
                List.of("espeak-ng", "-v", VOICE, "-s", SPEED, "-f", text.toString(), "-w", synth.toString()),
                work,
                Duration.ofMinutes(2),
                "read sentence " + id + " aloud");
        tools.run(
                List.of(
                        "sox",
                        "-R",
                        synth.toString(),
                        "-r",
                        "16000",
                        "-c",
                        "1",
                        "-b",
                        "16",
                        out.resolve("speech/" + id + ".wav").toString()),
                work,
                Duration.ofMinutes(2),
                "resample the speech of " + id);
        try {
            Files.delete(text);
            Files.delete(synth);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + work + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.data.Split;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parkinson's disease speech features (Sakar et al. 2019, UCI), as the {@code pd_speech} object of R's
 * {@code modeldata} 1.1.0 (Debian {@code r-cran-modeldata}): 252 subjects (188 PD, 64 controls; one row per
 * subject, the three recordings already averaged), 752 features in six families, used as six tabular modalities:
 * baseline (with gender), time-frequency, vocal fold, MFCC, wavelet and TQWT. Split 60/20/20, stratified by class.
 * The package is fetched with {@code apt-get download} and read with {@code Rscript} from its unpacked folder, so
 * only {@code r-base-core} needs to be installed.
 */
public final class ParkinsonsRecipe extends PackageRecipe {

    /** The recipe's name. */
    public static final String NAME = "parkinsons";
    /** The NOTICE line for this data set. */
    public static final String LICENCE = "parkinsons: Sakar et al. (2019), \"A comparative analysis of speech signal "
            + "processing algorithms for Parkinson's disease classification\", UCI Machine Learning Repository, CC BY "
            + "4.0; the pd_speech object of R modeldata 1.1.0 (Debian r-cran-modeldata 1.1.0-1, modeldata is MIT)";
    /** The pinned package holding the data. */
    public static final PinnedFile MODELDATA = PinnedFile.debianPackage(
            "r-cran-modeldata", "1.1.0-1", "all", "66c2e08bb4bf695d972b1e72ea44d5af9ada3c42841793d3871017f7b896bf95");

    static final String CSV = "pd_speech.csv";
    private static final int ROWS = 252;

    /**
     * The six feature families, by column name, in manifest order. Every feature column belongs to exactly one;
     * {@code gender} counts as baseline.
     */
    public static final Map<String, Pattern> FAMILIES = families();

    private static Map<String, Pattern> families() {
        Map<String, Pattern> f = new LinkedHashMap<>();
        f.put(
                "baseline",
                Pattern.compile("gender|PPE|DFA|RPDE|numPulses|numPeriodsPulses|meanPeriodPulses"
                        + "|stdDevPeriodPulses|.*Jitter|.*Shimmer|.*Harmonicity"));
        f.put("time_frequency", Pattern.compile("(min|max|mean)Intensity|f[1-4]|b[1-4]"));
        f.put("vocal_fold", Pattern.compile("(GQ|GNE|VFER|IMF)_.*"));
        f.put("mfcc", Pattern.compile("(mean|std)_.*"));
        f.put("wavelet", Pattern.compile("Ea|Ea2|Ed_.*|Ed2_.*|det_.*|app_.*"));
        f.put("tqwt", Pattern.compile("tqwt_.*"));
        return Collections.unmodifiableMap(f);
    }

    /** Fetches with the ordinary package clients. */
    public ParkinsonsRecipe() {}

    /** @param fetchers makes the asset fetcher (tests substitute a fake) */
    public ParkinsonsRecipe(Function<ToolRunner, AssetSource> fetchers) {
        super(fetchers);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Parkinson's disease speech features, 252 subjects, six feature families as six modalities; "
                + "classification (PD vs control)";
    }

    @Override
    public String licence() {
        return LICENCE;
    }

    @Override
    public int defaultSize() {
        return ROWS;
    }

    @Override
    public int quickSize() {
        return ROWS;
    }

    @Override
    protected int maxSize() {
        return ROWS;
    }

    @Override
    protected int version() {
        return 1;
    }

    @Override
    public List<PinnedFile> assets() {
        return List.of(MODELDATA);
    }

    @Override
    protected void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives) {
        tools.require("Rscript", "r-base-core");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("btw-modeldata-");
            archives.unpackDeb(files.get(MODELDATA), tmp);
            Path lib = tmp.resolve("usr/lib/R/site-library");
            if (!Files.isDirectory(lib.resolve("modeldata"))) {
                throw new BtwException(MODELDATA.fileName() + " has no usr/lib/R/site-library/modeldata");
            }
            String script = "a <- commandArgs(TRUE); data(pd_speech, package = \"modeldata\", lib.loc = a[1]); "
                    + "write.csv(as.data.frame(pd_speech), a[2], row.names = FALSE)";
            tools.run(
                    List.of(
                            "Rscript",
                            "--vanilla",
                            "-e",
                            script,
                            lib.toString(),
                            raw.resolve(CSV).toAbsolutePath().toString()),
                    tmp,
                    Duration.ofMinutes(5),
                    "export pd_speech from R's modeldata to CSV");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + MODELDATA.fileName() + ": " + e.getMessage(), e);
        } finally {
            Staging.deleteTree(tmp);
        }
    }

    @Override
    protected void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress) {
        Path csv = raw.resolve(CSV);
        List<String> header;
        List<CSVRecord> records;
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .build()
                        .parse(r)) {
            header = p.getHeaderNames();
            records = p.getRecords();
        } catch (IOException | UncheckedIOException e) {
            throw new BtwException(csv + ": cannot read: " + e.getMessage(), e);
        }
        if (!header.contains("class")) {
            throw new BtwException(csv + ": no 'class' column");
        }
        Map<String, List<String>> families = assignFamilies(header, csv);
        List<String> labels = new ArrayList<>();
        for (CSVRecord rec : records) {
            labels.add(rec.get("class"));
        }
        int[] keep =
                n >= records.size() ? IntStream.range(0, records.size()).toArray() : SplitPlan.subset(labels, n, seed);
        List<String> keptLabels = new ArrayList<>();
        for (int i : keep) {
            keptLabels.add(labels.get(i));
        }
        Split[] split = SplitPlan.stratified(keptLabels, seed + 1);
        List<String> features = new ArrayList<>();
        families.values().forEach(features::addAll);
        List<String> cols = new ArrayList<>(List.of("id", "split", "label"));
        cols.addAll(features);
        ManifestTable table = new ManifestTable(cols);
        for (int j = 0; j < keep.length; j++) {
            CSVRecord rec = records.get(keep[j]);
            List<String> row = new ArrayList<>(
                    List.of(String.format("subject-%03d", keep[j] + 1), split[j].label(), rec.get("class")));
            for (String f : features) {
                String v = rec.get(f);
                try {
                    Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new BtwException(
                            csv + ": row " + (keep[j] + 2) + ", column '" + f + "': not a number: '" + v + "'");
                }
                row.add(v);
            }
            table.add(row);
        }
        table.write(out.resolve(MANIFEST));
        ConfigYaml config = new ConfigYaml(
                        "classification",
                        "Parkinson's disease speech features (Sakar et al. 2019, UCI) via R modeldata 1.1.0 pd_speech;",
                        "built by `btw data parkinsons`. Six feature families as six tabular modalities.")
                .classes(List.of("control", "PD"));
        for (Map.Entry<String, List<String>> e : families.entrySet()) {
            config.tabular(e.getKey(), e.getValue());
        }
        DiabetesRecipe.writeString(out.resolve(CONFIG), config.text());
        progress.accept(NAME + ": wrote " + table.size() + " subjects, " + features.size() + " features");
    }

    /**
     * @param header the CSV's columns
     * @param source the file, for messages
     * @return each family's columns, in file order
     * @throws BtwException when a feature column matches no family, or more than one
     */
    static Map<String, List<String>> assignFamilies(List<String> header, Path source) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        FAMILIES.keySet().forEach(k -> out.put(k, new ArrayList<>()));
        for (String col : header) {
            if (col.equals("class") || col.equals("id")) {
                continue;
            }
            List<String> hits = new ArrayList<>();
            for (Map.Entry<String, Pattern> f : FAMILIES.entrySet()) {
                if (f.getValue().matcher(col).matches()) {
                    hits.add(f.getKey());
                }
            }
            if (hits.size() != 1) {
                throw new BtwException(source + ": column '" + col + "' matches "
                        + (hits.isEmpty() ? "no feature family" : "several feature families " + hits));
            }
            out.get(hits.get(0)).add(col);
        }
        for (Map.Entry<String, List<String>> e : out.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new BtwException(source + ": no column of the feature family '" + e.getKey() + "'");
            }
        }
        return out;
    }
}

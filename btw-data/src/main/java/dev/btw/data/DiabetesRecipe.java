package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import dev.btw.core.data.Split;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Diabetes progression (Efron et al. 2004), as shipped by Debian's {@code python3-sklearn} 1.2.1: 442 patients,
 * ten baseline measurements in three views (demographics: age, sex; body: bmi, bp; serum: s1-s6), target: a
 * quantitative measure of disease progression one year after baseline (regression). The values are the raw,
 * unscaled ones. Split 60/20/20, stratified by target quintile.
 */
public final class DiabetesRecipe extends PackageRecipe {

    /** The recipe's name. */
    public static final String NAME = "diabetes";
    /** The NOTICE line for this data set. */
    public static final String LICENCE = "diabetes: Efron, Hastie, Johnstone and Tibshirani (2004), \"Least Angle "
            + "Regression\", Annals of Statistics; the copy distributed with scikit-learn 1.2.1 (Debian package "
            + "python3-sklearn 1.2.1+dfsg-1), BSD-3-Clause";
    /** The pinned package holding the data. */
    public static final PinnedFile SKLEARN = PinnedFile.debianPackage(
            "python3-sklearn",
            "1.2.1+dfsg-1",
            "all",
            "ca0c6be401d14871c7e93cfdd8d1f561595dc65e6e2ad2501d568aee7f7efc58");

    static final String DATA = "diabetes_data_raw.csv.gz";
    static final String TARGET = "diabetes_target.csv.gz";
    private static final String IN_DEB = "usr/lib/python3/dist-packages/sklearn/datasets/data/";
    static final List<String> COLUMNS = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
    private static final int ROWS = 442;

    /** Fetches with the ordinary package clients. */
    public DiabetesRecipe() {}

    /** @param fetchers makes the asset fetcher (tests substitute a fake) */
    public DiabetesRecipe(Function<ToolRunner, AssetSource> fetchers) {
        super(fetchers);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "diabetes progression, 442 patients, three tabular views (demographics, body, serum); regression";
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
        return List.of(SKLEARN);
    }

    @Override
    protected void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives) {
        archives.extract(
                files.get(SKLEARN), Map.of(IN_DEB + DATA, raw.resolve(DATA), IN_DEB + TARGET, raw.resolve(TARGET)));
    }

    @Override
    protected void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress) {
        List<String[]> x = readGzLines(raw.resolve(DATA));
        List<String[]> y = readGzLines(raw.resolve(TARGET));
        if (x.size() != ROWS || y.size() != ROWS) {
            throw new BtwException(raw + ": expected " + ROWS + " rows in " + DATA + " and " + TARGET + "; got "
                    + x.size() + " and " + y.size());
        }
        double[] target = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            if (x.get(i).length != COLUMNS.size() || y.get(i).length != 1) {
                throw new BtwException(raw.resolve(DATA) + ": row " + (i + 1) + " has " + x.get(i).length
                        + " values, expected " + COLUMNS.size());
            }
            target[i] = Double.parseDouble(y.get(i)[0]);
        }
        List<String> strata = quintiles(target);
        int[] keep = n == ROWS ? IntStream.range(0, ROWS).toArray() : SplitPlan.subset(strata, n, seed);
        List<String> keptStrata = new ArrayList<>();
        for (int i : keep) {
            keptStrata.add(strata.get(i));
        }
        Split[] split = SplitPlan.stratified(keptStrata, seed + 1);
        List<String> header = new ArrayList<>(List.of("id", "split", "label"));
        header.addAll(COLUMNS);
        ManifestTable table = new ManifestTable(header);
        for (int j = 0; j < keep.length; j++) {
            int i = keep[j];
            List<String> row = new ArrayList<>(
                    List.of(String.format("patient-%03d", i + 1), split[j].label(), ManifestTable.number(target[i])));
            for (String v : x.get(i)) {
                row.add(ManifestTable.number(Double.parseDouble(v)));
            }
            table.add(row);
        }
        table.write(out.resolve(MANIFEST));
        ConfigYaml config = new ConfigYaml(
                        "regression",
                        "Diabetes progression (Efron et al. 2004) via scikit-learn 1.2.1; built by `btw data diabetes`.",
                        "Label: disease progression one year after baseline. Values are raw (unscaled).")
                .tabular("demographics", List.of("age", "sex"))
                .tabular("body", List.of("bmi", "bp"))
                .tabular("serum", List.of("s1", "s2", "s3", "s4", "s5", "s6"));
        writeString(out.resolve(CONFIG), config.text());
        progress.accept(NAME + ": wrote " + table.size() + " patients");
    }

    static List<String> quintiles(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        List<String> out = new ArrayList<>();
        for (double d : v) {
            int below = 0;
            for (int q = 1; q < 5; q++) {
                if (d > sorted[(int) Math.floor(q * (sorted.length - 1) / 5.0)]) {
                    below = q;
                }
            }
            out.add("q" + below);
        }
        return out;
    }

    static List<String[]> readGzLines(Path file) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(line.trim().split("\\s+"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.DataConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds {@link FusionData} straight from numeric manifest columns, for configs whose modalities are all tabular
 * ({@code encoder: columns}): each modality's vector is its columns, standardised with the train split's mean
 * and standard deviation. An instance with an empty cell in any of a modality's columns lacks that modality.
 * Configs with learned encoders go through {@link StoreFeatures}.
 */
public final class TabularFeatures {

    private TabularFeatures() {}

    /**
     * @param config the config
     * @return whether every modality is tabular
     */
    public static boolean applies(BtwConfig config) {
        return !config.modalities().isEmpty()
                && config.modalities().values().stream().allMatch(ModalityConfig::isTabular);
    }

    /**
     * @param config a config whose modalities are all tabular
     * @return the data set
     * @throws BtwException naming the key, file, row or column at fault
     */
    public static FusionData load(BtwConfig config) {
        Map<String, ModalityConfig> modalities = config.modalities();
        if (modalities.isEmpty()) {
            throw new BtwException(config.source() + ": config key 'modalities' names no modality");
        }
        DataConfig data = config.data();
        List<String> required = new ArrayList<>();
        for (ModalityConfig m : modalities.values()) {
            if (!m.isTabular()) {
                throw new BtwException(config.source() + ": config key 'modalities." + m.name() + ".encoder' is '"
                        + m.encoder() + "', not columns");
            }
            required.addAll(m.columns());
        }
        Manifest manifest = Manifest.read(data.manifest(), data.id(), data.split(), data.label(), required);
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (ModalityConfig m : modalities.values()) {
            columns.put(m.name(), columnsOf(config, manifest, m));
        }
        return DataAssembly.build(config, manifest, new ArrayList<>(columns.keySet()), new DataAssembly.Source() {
            @Override
            public int dim(String modality) {
                return columns.get(modality).size();
            }

            @Override
            public float[] rows(String modality, int[] rows, boolean[] present) {
                List<String> cols = columns.get(modality);
                int d = cols.size();
                float[] f = new float[rows.length * d];
                for (int i = 0; i < rows.length; i++) {
                    double[] v = new double[d];
                    boolean ok = true;
                    for (int c = 0; c < d && ok; c++) {
                        v[c] = manifest.number(rows[i], cols.get(c));
                        ok = !Double.isNaN(v[c]);
                    }
                    present[i] = ok;
                    if (ok) {
                        for (int c = 0; c < d; c++) {
                            f[i * d + c] = (float) v[c];
                        }
                    }
                }
                return f;
            }
        });
    }

    private static List<String> columnsOf(BtwConfig config, Manifest manifest, ModalityConfig m) {
        if (!m.columns().isEmpty()) {
            return m.columns();
        }
        if (m.pattern() == null) {
            throw new BtwException(
                    config.source() + ": config key 'modalities." + m.name() + "' needs 'columns' or 'pattern'");
        }
        Pattern p;
        try {
            p = Pattern.compile(m.pattern());
        } catch (PatternSyntaxException e) {
            throw new BtwException(config.source() + ": config key 'modalities." + m.name()
                    + ".pattern' is not a valid regular expression: " + e.getDescription());
        }
        List<String> out = new ArrayList<>();
        for (String c : manifest.columns()) {
            if (p.matcher(c).matches()) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new BtwException(config.source() + ": config key 'modalities." + m.name() + ".pattern' ('"
                    + m.pattern() + "') matches no column of " + manifest.file());
        }
        return out;
    }
}

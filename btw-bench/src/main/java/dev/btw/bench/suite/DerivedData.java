package dev.btw.bench.suite;

import dev.btw.app.experiment.FusionData;
import dev.btw.core.data.Split;
import dev.btw.djl.training.SplitData;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Derived data sets for the "beyond two modalities" sweeps, built in memory from a loaded {@link FusionData}
 * (so they work the same for tabular columns and for precomputed embeddings from the feature store):
 * <ul>
 *   <li>{@link #withNoise}: extra modalities {@code noise_1..noise_k} of standard normal columns that carry no
 *       information about the label;</li>
 *   <li>{@link #withCorruptedCopy}: a modality {@code <m>_copy}, the strongest modality's standardised features
 *       plus Gaussian noise whose standard deviation is drawn per instance from a list of levels (0 = a clean
 *       copy).</li>
 * </ul>
 * Every draw comes from a {@link Random} seeded by the caller, splits in the order train, val, test, so a
 * condition is the same data for every method and training seed.
 */
public final class DerivedData {

    private DerivedData() {}

    /**
     * @param data the data set
     * @param count how many noise modalities to add (0 returns {@code data})
     * @param width columns per noise modality
     * @param seed the generator seed
     * @return the data with {@code noise_1..noise_count} appended
     */
    public static FusionData withNoise(FusionData data, int count, int width, long seed) {
        if (count == 0) {
            return data;
        }
        Random random = new Random(seed);
        Map<String, Integer> dims = data.dims();
        Map<Split, Map<String, float[]>> feats = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            feats.put(s, new LinkedHashMap<>());
        }
        for (int k = 1; k <= count; k++) {
            String name = "noise_" + k;
            dims.put(name, width);
            for (Split s : Split.values()) {
                float[] f = new float[data.split(s).size() * width];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) random.nextGaussian();
                }
                feats.get(s).put(name, f);
            }
        }
        return extend(data, dims, feats, null);
    }

    /**
     * @param data the data set
     * @param modality the modality to copy (normally the strongest)
     * @param levels noise standard deviations; each instance draws one uniformly
     * @param seed the generator seed
     * @return the data with {@code <modality>_copy} appended
     */
    public static FusionData withCorruptedCopy(FusionData data, String modality, double[] levels, long seed) {
        Random random = new Random(seed);
        String name = copyName(modality);
        int d = data.dims().get(modality);
        Map<String, Integer> dims = data.dims();
        dims.put(name, d);
        Map<Split, Map<String, float[]>> feats = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            SplitData sd = data.split(s);
            float[] src = sd.features(modality);
            boolean[] present = sd.present(modality);
            float[] f = new float[src.length];
            for (int i = 0; i < sd.size(); i++) {
                double level = levels[random.nextInt(levels.length)];
                for (int c = 0; c < d; c++) {
                    double noise = random.nextGaussian();
                    f[i * d + c] = present[i] ? (float) (src[i * d + c] + level * noise) : 0f;
                }
            }
            Map<String, float[]> m = new LinkedHashMap<>();
            m.put(name, f);
            feats.put(s, m);
        }
        return extend(data, dims, feats, modality);
    }

    /**
     * @param modality a modality
     * @return the name of its corrupted copy
     */
    public static String copyName(String modality) {
        return modality + "_copy";
    }

    private static FusionData extend(
            FusionData data, Map<String, Integer> dims, Map<Split, Map<String, float[]>> added, String presenceFrom) {
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            SplitData sd = data.split(s);
            Map<String, float[]> f = new LinkedHashMap<>();
            Map<String, boolean[]> p = new LinkedHashMap<>();
            for (String m : sd.modalities()) {
                f.put(m, sd.features(m));
                p.put(m, sd.present(m));
            }
            for (Map.Entry<String, float[]> e : added.get(s).entrySet()) {
                f.put(e.getKey(), e.getValue());
                boolean[] present = new boolean[sd.size()];
                if (presenceFrom == null) {
                    Arrays.fill(present, true);
                } else {
                    present = sd.present(presenceFrom).clone();
                }
                p.put(e.getKey(), present);
            }
            splits.put(s, new SplitData(sd.ids(), dims, f, p, sd.labels()));
        }
        return new FusionData(data.task(), dims, data.classes(), splits);
    }
}

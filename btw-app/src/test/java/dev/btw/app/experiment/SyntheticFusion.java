package dev.btw.app.experiment;

import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.References;
import dev.btw.djl.training.SplitData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small regression data with three modalities: {@code signal} (4 values, y is linear in them plus noise),
 * {@code weak} (3 values, a noisy copy of part of the signal, missing for a fifth of the instances) and
 * {@code noise} (4 values unrelated to y); and least-squares unimodal references fitted on the train split.
 */
final class SyntheticFusion {

    static final Map<String, Integer> DIMS = new LinkedHashMap<>(Map.of());

    static {
        DIMS.put("signal", 4);
        DIMS.put("weak", 3);
        DIMS.put("noise", 4);
    }

    private SyntheticFusion() {}

    static FusionData data(int trainSize, long seed) {
        Random r = new Random(seed);
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            int n = s == Split.TRAIN ? trainSize : trainSize / 4;
            List<String> ids = new ArrayList<>();
            Map<String, float[]> f = new LinkedHashMap<>();
            Map<String, boolean[]> p = new LinkedHashMap<>();
            DIMS.forEach((m, d) -> {
                f.put(m, new float[n * d]);
                p.put(m, new boolean[n]);
            });
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                ids.add(s.label() + "-" + i);
                float[] sig = f.get("signal");
                for (int k = 0; k < 4; k++) {
                    sig[i * 4 + k] = (float) r.nextGaussian();
                }
                y[i] = 50
                        + 10 * (sig[i * 4] + 0.8 * sig[i * 4 + 1] - 0.6 * sig[i * 4 + 2] + 0.3 * sig[i * 4 + 3])
                        + 2 * r.nextGaussian();
                p.get("signal")[i] = true;
                if (r.nextDouble() >= 0.2) {
                    p.get("weak")[i] = true;
                    for (int k = 0; k < 3; k++) {
                        f.get("weak")[i * 3 + k] = (float) (sig[i * 4 + k] + 1.5 * r.nextGaussian());
                    }
                }
                p.get("noise")[i] = true;
                for (int k = 0; k < 4; k++) {
                    f.get("noise")[i * 4 + k] = (float) r.nextGaussian();
                }
            }
            splits.put(s, new SplitData(ids, DIMS, f, p, y));
        }
        return new FusionData(Task.REGRESSION, DIMS, List.of(), splits);
    }

    /** Ridge regression per modality on the train instances that have it; NaN where the modality is missing. */
    static References references(FusionData data) {
        References refs = new References();
        SplitData train = data.split(Split.TRAIN);
        for (String m : data.modalities()) {
            int d = data.dims().get(m);
            double[] beta = fit(train, m, d);
            Map<Split, Predictions> bySplit = new EnumMap<>(Split.class);
            double sse = 0;
            int count = 0;
            for (Split s : Split.values()) {
                SplitData sd = data.split(s);
                double[][] out = new double[sd.size()][];
                for (int i = 0; i < sd.size(); i++) {
                    if (!sd.present(m)[i]) {
                        out[i] = new double[] {Double.NaN};
                        continue;
                    }
                    double q = beta[d];
                    for (int k = 0; k < d; k++) {
                        q += beta[k] * sd.features(m)[i * d + k];
                    }
                    out[i] = new double[] {q};
                    if (s == Split.TRAIN) {
                        sse += (q - sd.labels()[i]) * (q - sd.labels()[i]);
                        count++;
                    }
                }
                bySplit.put(s, new Predictions(sd.ids(), out));
            }
            refs.put(m, bySplit, Math.sqrt(sse / count));
        }
        return refs;
    }

    private static double[] fit(SplitData train, String m, int d) {
        int p = d + 1;
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < train.size(); i++) {
            if (!train.present(m)[i]) {
                continue;
            }
            double[] x = new double[p];
            for (int k = 0; k < d; k++) {
                x[k] = train.features(m)[i * d + k];
            }
            x[d] = 1;
            for (int u = 0; u < p; u++) {
                for (int v = 0; v < p; v++) {
                    a[u][v] += x[u] * x[v];
                }
                a[u][p] += x[u] * train.labels()[i];
            }
        }
        for (int u = 0; u < d; u++) {
            a[u][u] += 1e-3;
        }
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= p; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] beta = new double[p];
        for (int u = 0; u < p; u++) {
            beta[u] = a[u][p] / a[u][u];
        }
        return beta;
    }
}

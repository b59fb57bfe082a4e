package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.djl.training.SplitData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A modality of pure noise gets a small mutual-information share in the BTW refreshes. */
class NoiseModalityTest {

    @TempDir
    Path tmp;

    static FusionData signalAndNoise(int n, long seed) {
        Random r = new Random(seed);
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        Map<String, Integer> dims = new LinkedHashMap<>();
        dims.put("signal", 2);
        dims.put("noise", 2);
        for (Split s : Split.values()) {
            int size = s == Split.TRAIN ? n : n / 3;
            List<String> ids = new ArrayList<>();
            float[] sig = new float[size * 2];
            float[] noi = new float[size * 2];
            double[] y = new double[size];
            for (int i = 0; i < size; i++) {
                ids.add(s.label() + i);
                sig[2 * i] = (float) r.nextGaussian();
                sig[2 * i + 1] = (float) r.nextGaussian();
                noi[2 * i] = (float) r.nextGaussian();
                noi[2 * i + 1] = (float) r.nextGaussian();
                y[i] = sig[2 * i] + 0.5 * sig[2 * i + 1] + 0.1 * r.nextGaussian();
            }
            boolean[] all = new boolean[size];
            Arrays.fill(all, true);
            splits.put(
                    s,
                    new SplitData(
                            ids,
                            dims,
                            Map.of("signal", sig, "noise", noi),
                            Map.of("signal", all, "noise", all.clone()),
                            y));
        }
        return new FusionData(Task.REGRESSION, dims, List.of(), splits);
    }

    @Test
    void pureNoiseGetsASmallMutualInformationShare() throws Exception {
        BtwConfig config = BtwConfig.defaults(List.of(
                "model.hidden=16",
                "model.layers=1",
                "model.experts=4",
                "model.expert_hidden=32",
                "model.ff_hidden=32",
                "model.head_hidden=16",
                "train.epochs=6",
                "train.lr=0.002",
                "btw.trigger=every-epoch",
                "train.threads=1"));
        Path out = tmp.resolve("run");
        new FusionExperiment(config, signalAndNoise(300, 5), out)
                .withMethods(List.of("kl*mi"))
                .run();
        Path w = out.resolve("weights/kl_mi/seed-1111");
        for (int i = 2; i <= 6; i++) {
            JsonNode summary = Checkpoint.JSON.readTree(
                    w.resolve(String.format("refresh-%04d.json", i)).toFile());
            double noise = summary.get("mi").get("noise").asDouble();
            assertTrue(noise < 0.15, "refresh " + i + ": MI share of the noise modality " + noise);
        }
    }
}

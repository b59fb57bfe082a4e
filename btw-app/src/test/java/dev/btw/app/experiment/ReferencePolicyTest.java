package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.app.run.RunDirectory;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Split;
import dev.btw.djl.training.SplitData;
import java.io.IOException;
import java.nio.file.Files;
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

/**
 * One modality memorises its training set: {@code memo} is a unique random code per instance (plus a faint
 * trace of the label), {@code honest} a real but noisy signal. In-sample, the memorising reference agrees with
 * the fused model on train and takes the larger MI share; out-of-fold (and on validation) it ranks below the
 * honest one.
 */
class ReferencePolicyTest {

    private static final int CODE = 128;

    @TempDir
    Path tmp;

    static FusionData memorising(int n, long seed) {
        Random r = new Random(seed);
        Map<String, Integer> dims = new LinkedHashMap<>();
        dims.put("honest", 2);
        dims.put("memo", CODE);
        Map<Split, SplitData> splits = new EnumMap<>(Split.class);
        double[][] centres = {{1.2, 0}, {-0.6, 1.0}, {-0.6, -1.0}};
        for (Split s : Split.values()) {
            int size = s == Split.TRAIN ? n : n / 2;
            List<String> ids = new ArrayList<>();
            float[] honest = new float[size * 2];
            float[] memo = new float[size * CODE];
            double[] y = new double[size];
            for (int i = 0; i < size; i++) {
                ids.add(s.label() + i);
                int c = r.nextInt(3);
                y[i] = c;
                honest[2 * i] = (float) (centres[c][0] + 1.4 * r.nextGaussian());
                honest[2 * i + 1] = (float) (centres[c][1] + 1.4 * r.nextGaussian());
                for (int k = 0; k < CODE; k++) {
                    memo[i * CODE + k] = (float) r.nextGaussian();
                }
                memo[i * CODE + c] += 0.4f; // a faint real trace, so that its val monitor improves while it memorises
            }
            boolean[] all = new boolean[size];
            Arrays.fill(all, true);
            splits.put(
                    s,
                    new SplitData(
                            ids,
                            dims,
                            Map.of("honest", honest, "memo", memo),
                            Map.of("honest", all, "memo", all.clone()),
                            y));
        }
        return new FusionData(Task.CLASSIFICATION, dims, List.of("a", "b", "c"), splits);
    }

    private Map<String, Double> shares(String policy) throws Exception {
        BtwConfig config = BtwConfig.defaults(List.of(
                "task=classification",
                "model.hidden=32",
                "model.layers=1",
                "model.experts=4",
                "model.expert_hidden=64",
                "model.ff_hidden=32",
                "model.head_hidden=32",
                "train.epochs=15",
                "train.patience=15",
                "train.lr=0.006",
                "train.batch=16",
                "train.weight_decay=0",
                "btw.trigger=every-epoch",
                "train.threads=1",
                "btw.references=" + policy,
                "btw.folds=3"));
        Path out = tmp.resolve(policy);
        new FusionExperiment(config, memorising(180, 11), out)
                .withMethods(List.of("unimodal:honest", "unimodal:memo", "mi"))
                .run();
        Path w = out.resolve("weights/mi/seed-1111");
        // the last refresh: by then the fused model has had the time to memorise through memo as well
        Path last;
        try (var files = Files.list(w)) {
            last = files.filter(f -> f.getFileName().toString().startsWith("refresh-"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        JsonNode summary = Checkpoint.JSON.readTree(last.toFile());
        Map<String, Double> mi = new LinkedHashMap<>();
        summary.get("mi")
                .fields()
                .forEachRemaining(e -> mi.put(e.getKey(), e.getValue().asDouble()));
        return mi;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    @Test
    void outOfFoldAndValidationSharesRankTheMemorisingModalityBelowTheHonestOne() throws Exception {
        Map<String, Double> inSample = shares("in-sample");
        Map<String, Double> outOfFold = shares("out-of-fold");
        Map<String, Double> validation = shares("validation");
        String seen = "in-sample " + inSample + ", out-of-fold " + outOfFold + ", validation " + validation;
        assertTrue(inSample.get("memo") > inSample.get("honest"), seen);
        assertTrue(outOfFold.get("memo") < outOfFold.get("honest"), seen);
        // on validation the memorising modality loses share but need not fall below the honest one: the fused
        // model learnt the same codes, so it agrees with that reference on unseen instances too (MI measures
        // agreement with the fused model, not accuracy)
        assertTrue(validation.get("memo") < inSample.get("memo") - 0.1, seen);
        assertTrue(Files.exists(tmp.resolve("out-of-fold/references/memo/" + RunDirectory.OUT_OF_FOLD_CSV)));
        assertEquals(
                2,
                Checkpoint.JSON
                        .readTree(tmp.resolve("out-of-fold/provenance.json").toFile())
                        .get("timings")
                        .properties()
                        .stream()
                        .filter(e -> e.getKey().endsWith("/out-of-fold"))
                        .count());
    }
}

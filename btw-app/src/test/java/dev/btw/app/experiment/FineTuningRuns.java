package dev.btw.app.experiment;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Pair;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.TorchScriptModels;
import dev.btw.djl.encoder.spec.EncoderSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the fine-tuning tests (images, clips, frames) share: a run with its progress, and reading its results. */
final class FineTuningRuns {

    private FineTuningRuns() {}

    /**
     * Trains the methods of a config into a run folder.
     *
     * @return the progress lines the run printed
     */
    static String train(Path config, List<String> overrides, List<String> methods, Path out) {
        BtwConfig c = BtwConfig.load(config, overrides);
        FusionData data = StoreFeatures.load(c, EncodeProgress.NONE);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        new FusionExperiment(c, data, out)
                .withMethods(methods)
                .withProgress(new PrintStream(lines, true, StandardCharsets.UTF_8))
                .run();
        return lines.toString(StandardCharsets.UTF_8);
    }

    /** The "train loss ..., val ..." part of one epoch's progress line of a method at seed 7. */
    static String epochLine(String progress, String method, int epoch) {
        for (String l : progress.split("\n")) {
            if (l.startsWith(method + " seed 7 epoch " + epoch + "/")) {
                return l.substring(l.indexOf(": train loss"), l.indexOf(" ("));
            }
        }
        throw new AssertionError("no epoch " + epoch + " of " + method + " in " + progress);
    }

    /** A TorchScript encoder's parameters by name. */
    static Map<String, float[]> parameters(EncoderSpec spec) {
        Map<String, float[]> out = new HashMap<>();
        try (ZooModel<NDList, NDList> m = TorchScriptModels.load(spec, TestSpecs.fetcher(), false)) {
            for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    /** The ten class probabilities of each instance of a predictions CSV, by id. */
    static Map<String, double[]> probabilities(Path csv) throws Exception {
        Map<String, double[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            double[] p = new double[10];
            for (int c = 0; c < 10; c++) {
                p[c] = Double.parseDouble(f[1 + c]);
            }
            out.put(f[0], p);
        }
        return out;
    }
}

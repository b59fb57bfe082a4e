package dev.btw.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.model.MoeFusionSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@link RunModel} of a run directory written before {@value RunDirectory#MODEL} existed, rebuilt as those
 * versions' export did: the spec from {@value RunDirectory#CONFIG}'s model section and the input widths in
 * {@value RunDirectory#PROVENANCE} ({@code data.dim_<modality>}), the seeds from there too, the methods from
 * {@value RunDirectory#METRICS}, the class names from the config or else a predictions file's header.
 */
final class LegacyRunModel {

    private LegacyRunModel() {}

    /**
     * @param run a run directory without {@value RunDirectory#MODEL}
     * @return what it trained
     * @throws BtwException naming the file and key that is missing
     */
    static RunModel rebuild(RunDirectory run) {
        JsonNode provenance = RunDirectory.readJson(run.provenance());
        JsonNode metrics = RunDirectory.readJson(run.metrics());
        BtwConfig config = run.readConfig();
        Task task = config.task();
        List<String> methods = new ArrayList<>();
        metrics.path("methods").fieldNames().forEachRemaining(methods::add);
        List<Integer> seeds = new ArrayList<>();
        provenance.path("seeds").forEach(s -> seeds.add(s.asInt()));
        if (seeds.isEmpty()) {
            seeds.addAll(config.train().seeds());
        }
        Map<String, Integer> dims = new LinkedHashMap<>();
        Map<String, String> encoders = new LinkedHashMap<>();
        for (String m : config.modalities().keySet()) {
            JsonNode dim = provenance.path("data").path("dim_" + m);
            if (!dim.isInt()) {
                throw new BtwException(run.provenance() + ": no input width for modality '" + m + "'");
            }
            dims.put(m, dim.asInt());
            encoders.put(m, config.modalities().get(m).encoder());
        }
        List<String> classes = task == Task.CLASSIFICATION ? classes(run, config) : List.of();
        MoeFusionSpec spec = MoeFusionSpec.of(config.model(), dims, task == Task.CLASSIFICATION ? classes.size() : 1);
        return new RunModel(task, classes, spec, config.btw().inference(), methods, seeds, encoders);
    }

    /** Class names: the config's, else the probability columns of any predictions file of the run. */
    private static List<String> classes(RunDirectory run, BtwConfig config) {
        if (!config.classes().isEmpty()) {
            return config.classes();
        }
        try (Stream<Path> files = Files.walk(run.predictions())) {
            Path any = files.filter(p -> p.toString().endsWith(".csv"))
                    .findFirst()
                    .orElseThrow(() -> new BtwException(run.root() + ": no predictions to read class names from"));
            try (BufferedReader r = Files.newBufferedReader(any, StandardCharsets.UTF_8)) {
                List<String> header = new ArrayList<>(Arrays.asList(r.readLine().split(",")));
                header.remove("id");
                header.remove("label");
                return header;
            }
        } catch (IOException e) {
            throw new BtwException(run.root() + ": cannot read class names: " + e.getMessage(), e);
        }
    }
}

package dev.btw.bench.command;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.app.experiment.DeviceChoice;
import dev.btw.app.run.TrainedFusion;
import dev.btw.bench.InferenceBenchmark;
import dev.btw.cli.Command;
import dev.btw.cli.command.ExportCommand;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.io.Json;
import dev.btw.djl.model.MoeFusionBlock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench infer}: batch-1 latency (median, p99) and batch-256 throughput of a fusion model exported to
 * ONNX and run by ONNX Runtime, against the same model in DJL's PyTorch engine in evaluation mode, on the same
 * inputs in the same run; prints one JSON line.
 */
public final class BenchInferCommand implements Command {

    private static final ObjectMapper JSON = Json.MAPPER;

    @Override
    public String name() {
        return "bench infer";
    }

    @Override
    public String summary() {
        return "inference latency and throughput: exported ONNX in ONNX Runtime vs DJL PyTorch; one JSON line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("run", "DIR", "a run directory: benchmark its trained model (else a random model of --dims)"));
        o.addOption(opt("method", "M", "with --run: the method (default as 'btw export')"));
        o.addOption(opt("dims", "D,D,...", "embedding widths of a random model (default 768,64,64)"));
        o.addOption(opt("threads", "T", "intra-op threads of both engines (default 1)"));
        o.addOption(opt("calls", "N", "timed batch-1 calls per engine (default 1000)"));
        o.addOption(opt("batches", "N", "timed batch-256 calls per engine (default 20)"));
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        int threads = positive(line, "threads", 1);
        int calls = positive(line, "calls", 1000);
        int batches = positive(line, "batches", 20);
        DeviceChoice.setThreads(threads);
        ObjectNode json = JSON.createObjectNode();
        json.put("bench", "infer");
        InferenceBenchmark.Result result;
        if (line.hasOption("run")) {
            try (TrainedFusion trained =
                    ExportCommand.load(Path.of(line.getOptionValue("run")), line.getOptionValue("method"), null)) {
                json.put("run", line.getOptionValue("run"));
                json.put("method", trained.method());
                json.set(
                        "dims",
                        JSON.valueToTree(trained.model().spec().inputDims().values()));
                result = new InferenceBenchmark(
                                trained.model().block(), trained.task(), trained.weights(), calls, batches)
                        .run(threads);
            }
        } else {
            int[] dims = dims(line.getOptionValue("dims", "768,64,64"));
            json.set("dims", JSON.valueToTree(dims));
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                MoeFusionBlock block = InferenceBenchmark.randomBlock(dims, manager);
                Map<String, Double> weights = new LinkedHashMap<>();
                block.spec().modalityNames().forEach(m -> weights.put(m, 1.0));
                result = new InferenceBenchmark(block, Task.REGRESSION, weights, calls, batches).run(threads);
            }
        }
        json.put("threads", threads);
        json.set("onnxruntime", figures(result.onnxRuntime()));
        json.set("djl_pytorch", figures(result.djl()));
        json.put(
                "batch1_median_speedup",
                result.djl().batch1MedianMs() / result.onnxRuntime().batch1MedianMs());
        json.put(
                "batch256_throughput_ratio",
                result.onnxRuntime().batch256PerSecond() / result.djl().batch256PerSecond());
        out.println(JSON.writeValueAsString(json));
        return 0;
    }

    private static ObjectNode figures(InferenceBenchmark.Figures f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("batch1_median_ms", f.batch1MedianMs());
        o.put("batch1_p99_ms", f.batch1P99Ms());
        o.put("batch256_per_s", f.batch256PerSecond());
        return o;
    }

    private static int positive(CommandLine line, String key, int fallback) {
        if (!line.hasOption(key)) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(line.getOptionValue(key));
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BtwException(
                "--" + key + " must be a whole number of at least 1, got '" + line.getOptionValue(key) + "'");
    }

    private static int[] dims(String text) {
        String[] parts = text.split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                dims[i] = 0;
            }
            if (dims[i] < 1) {
                throw new BtwException("--dims must list positive widths such as 768,64,64; got '" + text + "'");
            }
        }
        return dims;
    }
}

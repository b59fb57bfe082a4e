package dev.btw.bench.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.bench.ScaleBenchmark;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench scale}: memory and speed of the whole training path at growing n, on generated precomputed
 * embeddings (one {@code .npy} matrix per modality, widths 384 + 96 + 20 by default): for each n one JSON line with
 * the peak resident memory, training instances/s for one epoch on one thread, the evaluation pass and one BTW
 * refresh. Each n runs as two child JVMs (same Java, class path and JVM options), one that writes the data and
 * fills the feature store as {@code btw encode} would and one that trains on it as {@code btw train} would, so
 * that peaks do not carry over; {@code --in-process} runs them in this process instead.
 */
public final class BenchScaleCommand implements Command {

    private static final String DEFAULT_N = "10000,100000,1000000";

    @Override
    public String name() {
        return "bench scale";
    }

    @Override
    public String summary() {
        return "peak memory, training instances/s, evaluation and BTW refresh time at n = 10k, 100k, 1M generated "
                + "instances; one JSON line per n";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("n", "N,N,...", "instance counts, one run each (default " + DEFAULT_N + ")"));
        o.addOption(opt("dims", "D,D,...", "embedding width per modality (default 384,96,20)"));
        o.addOption(opt("seed", "S", "data, model and batch-order seed (default 1)"));
        o.addOption(
                opt(
                        "work",
                        "DIR",
                        "folder for the generated data and feature store, emptied after each n "
                                + "(default: a new folder under the system's temporary folder; 1M instances need about 4.5 GB)"));
        o.addOption(opt(
                "steps",
                "S",
                "train at most S steps (batches of train.batch, 32) of the epoch, in the epoch's "
                        + "shuffled order, and report their rate (default: the whole epoch)"));
        o.addOption(
                opt(
                        "phase",
                        "P",
                        "with --in-process: encode (write the data into --work and fill its feature "
                                + "store), train (load, train, evaluate, refresh on what encode left there) or both (default)"));
        o.addOption(Option.builder()
                .longOpt("in-process")
                .desc(
                        "run in this process instead of two child JVMs per "
                                + "n, one encoding (as btw encode) and one training (as btw train); peak memory then carries over")
                .get());
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        List<Integer> ns = new ArrayList<>();
        for (String s : line.getOptionValue("n", DEFAULT_N).split(",")) {
            ns.add(positive("n", s, 100));
        }
        String dimsText = line.getOptionValue("dims", "384,96,20");
        String[] parts = dimsText.split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = positive("dims", parts[i], 1);
        }
        long seed = positive("seed", line.getOptionValue("seed", "1"), 1);
        int steps = line.hasOption("steps") ? positive("steps", line.getOptionValue("steps"), 1) : 0;
        String phase = line.getOptionValue("phase", "both");
        if (!List.of("encode", "train", "both").contains(phase)) {
            throw new BtwException("--phase must be encode, train or both, got '" + phase + "'");
        }
        if (!phase.equals("both") && !line.hasOption("in-process")) {
            throw new BtwException("--phase " + phase + " needs --in-process and --work");
        }
        Path base = line.hasOption("work")
                ? Path.of(line.getOptionValue("work"))
                : Files.createTempDirectory("btw-bench-scale-");
        ObjectMapper json = new ObjectMapper();
        for (int n : ns) {
            Path work = base.resolve("n" + n);
            ObjectNode o = header(json, n, dims, seed);
            try {
                if (line.hasOption("in-process")) {
                    if (!phase.equals("train")) {
                        encodeFigures(o, ScaleBenchmark.encode(n, dims, work, seed));
                    }
                    if (!phase.equals("encode")) {
                        trainFigures(o, ScaleBenchmark.train(work, seed, steps));
                    }
                } else {
                    for (String p : List.of("encode", "train")) {
                        ObjectNode part = child(json, p, n, dimsText, seed, steps, base);
                        if (part == null) {
                            err.println("btw bench scale: the " + p + " phase for n = " + n + " failed");
                            return 1;
                        }
                        o.setAll(part);
                    }
                }
                goals(o);
                out.println(json.writeValueAsString(o));
            } finally {
                if (phase.equals("both")) {
                    delete(work);
                }
            }
        }
        if (!line.hasOption("work")) {
            delete(base);
        }
        return 0;
    }

    private static ObjectNode header(ObjectMapper json, int n, int[] dims, long seed) {
        ObjectNode o = json.createObjectNode();
        o.put("bench", "scale");
        o.put("n", n);
        o.set("dims", json.valueToTree(dims));
        o.put("seed", seed);
        o.put("method", "uniform");
        o.put("threads", 1);
        o.put("max_heap_mb", mb(Runtime.getRuntime().maxMemory()));
        return o;
    }

    private static void encodeFigures(ObjectNode o, ScaleBenchmark.EncodeFigures e) {
        o.put("feature_mb", mb(e.featureBytes()));
        o.put("rss_goal_mb", mb(e.rssGoalBytes()));
        o.put("generate_s", round(e.generateSeconds()));
        o.put("encode_s", round(e.encodeSeconds()));
        o.put("encode_peak_rss_mb", mb(e.peakRssBytes()));
    }

    private static void trainFigures(ObjectNode o, ScaleBenchmark.TrainFigures t) {
        o.put("peak_rss_mb", mb(t.peakRssBytes()));
        o.put("rss_after_load_mb", mb(t.rssAfterLoadBytes()));
        o.put("load_s", round(t.loadSeconds()));
        o.put("train_instances", t.trainInstances());
        o.put("train_instances_per_s", round(t.instancesPerSecond()));
        o.put("train_instances_per_cpu_s", round(t.instancesPerCpuSecond()));
        o.put("train_s", round(t.epochSeconds()));
        o.put("eval_instances", t.evalInstances());
        o.put("eval_s", round(t.evalSeconds()));
        o.put("refresh_instances", t.refreshInstances());
        o.put("refresh_s", round(t.refreshSeconds()));
        o.put("last_loss", round(t.lastLoss()));
    }

    /** Whether the memory goal holds for the training process and for the encoding process. */
    private static void goals(ObjectNode o) {
        if (o.has("rss_goal_mb") && o.has("peak_rss_mb")) {
            double goal = o.get("rss_goal_mb").asDouble();
            o.put("rss_goal_met", o.get("peak_rss_mb").asDouble() <= goal);
            o.put("encode_rss_goal_met", o.get("encode_peak_rss_mb").asDouble() <= goal);
        }
    }

    /** Runs one phase for one n in a child JVM; returns the figures it printed, or null when it failed. */
    private static ObjectNode child(
            ObjectMapper json, String phase, int n, String dims, long seed, int steps, Path base)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvm);
        if (jvm.stream().noneMatch(BenchScaleCommand::setsHeap)) {
            // as the launcher does: the children's memory is bounded by default, not a quarter of the RAM
            cmd.add(DEFAULT_HEAP);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.btw.cli.Btw");
        cmd.addAll(List.of(
                "bench",
                "scale",
                "--in-process",
                "--phase",
                phase,
                "--n",
                Integer.toString(n),
                "--dims",
                dims,
                "--seed",
                Long.toString(seed),
                "--work",
                base.toString()));
        if (steps > 0) {
            cmd.addAll(List.of("--steps", Integer.toString(steps)));
        }
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return null;
        }
        String[] lines = text.strip().split("\n");
        ObjectNode o = (ObjectNode) json.readTree(lines[lines.length - 1]);
        for (String k :
                List.of("bench", "n", "dims", "seed", "method", "threads", "rss_goal_met", "encode_rss_goal_met")) {
            o.remove(k);
        }
        return o;
    }

    /** The children's maximum heap when the parent's JVM options set none (the launcher's default). */
    static final String DEFAULT_HEAP = "-Xmx1g";

    /**
     * @param option a JVM option
     * @return whether it bounds the heap
     */
    static boolean setsHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize") || option.startsWith("-XX:MaxRAM");
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static int positive(String option, String text, int min) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BtwException("--" + option + " needs integers of at least " + min + ", got '" + text + "'");
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

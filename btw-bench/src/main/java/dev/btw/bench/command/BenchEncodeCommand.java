package dev.btw.bench.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.io.Json;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.EncoderOptions;
import dev.btw.djl.encoder.Encoders;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import dev.btw.djl.fetch.AssetFetcher;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench encode --encoder NAME}: encoder throughput in instances per second, on one thread of calls,
 * over seeded synthetic inputs ({@link BenchInputs}), file reading and preprocessing included. For an ONNX encoder
 * it runs, in the same process, taking turns batch by batch, DJL's OnnxRuntime path and the same computation with
 * ONNX Runtime's Java API called directly (same preprocessing, pooling and session threads), and reports DJL's
 * overhead: the median over batches of (DJL time / direct time) - 1, each pair timed back to back on the same
 * inputs, which a shared machine's load bursts barely move ({@code djl_overhead_pct}); and the ratio of the total
 * times ({@code djl_overhead_pct_total}). For a clip encoder (a spec with video preprocessing) it also reports
 * {@code clips_per_s}, the share of that time spent decoding ({@code decode_share_pct}: the sampled frames of each
 * clip decoded and scaled by FFmpeg through JavaCV, timed alone, against the whole encoding), and, when Debian's
 * {@code ffmpeg} command is on the PATH, the same frames of the same files decoded and scaled by it in the same run
 * ({@code ffmpeg -frames:v K -s WxH -pix_fmt rgb24 -f null -}, one process per clip): {@code decode_vs_ffmpeg} is
 * btw's decoding time over ffmpeg's, and {@code decode_vs_ffmpeg_net} the same with ffmpeg's measured start-up time
 * per process taken off. Prints one JSON line.
 */
public final class BenchEncodeCommand implements Command {

    private static final ObjectMapper JSON = Json.MAPPER;

    @Override
    public String name() {
        return "bench encode";
    }

    @Override
    public String summary() {
        return "encoder throughput, DJL vs ONNX Runtime called directly; prints one JSON line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("encoder")
                .hasArg()
                .argName("NAME")
                .desc("a spec name under models/ or a spec folder (required)")
                .get());
        o.addOption(Option.builder()
                .longOpt("batch")
                .hasArg()
                .argName("B")
                .desc("batch size (default 32)")
                .get());
        o.addOption(Option.builder()
                .longOpt("n")
                .hasArg()
                .argName("N")
                .desc("instances per timed run (default 512)")
                .get());
        o.addOption(Option.builder()
                .longOpt("threads")
                .hasArg()
                .argName("T")
                .desc("intra-op threads of each engine (default: one per core)")
                .get());
        o.addOption(Option.builder()
                .longOpt("repeats")
                .hasArg()
                .argName("R")
                .desc("timed passes over the inputs; the paths take turns batch by batch (default 3)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        if (!line.hasOption("encoder")) {
            throw new BtwException("missing --encoder NAME (see 'btw bench encode --help')");
        }
        int batch = positive(line, "batch", 32);
        int n = positive(line, "n", 512);
        int threads = positive(line, "threads", Runtime.getRuntime().availableProcessors());
        int repeats = positive(line, "repeats", 3);
        EncoderSpec spec = SpecLocator.defaults().find(line.getOptionValue("encoder"), Path.of("."));
        AssetFetcher fetcher = new AssetFetcher();
        Path dir = Files.createTempDirectory("btw-bench-");
        try {
            List<EncoderInput> inputs = BenchInputs.make(spec, n, dir, 1);
            ObjectNode o = JSON.createObjectNode()
                    .put("bench", "encode")
                    .put("encoder", spec.name())
                    .put("engine", spec.engine().djlName())
                    .put("batch", batch)
                    .put("n", n)
                    .put("threads", threads)
                    .put("repeats", repeats)
                    .put("dimension", spec.dimension());
            try (Encoder djl = Encoders.load(spec, fetcher, EncoderOptions.DEFAULT.withThreads(threads));
                    Encoder ort =
                            spec.engine() == Engine.ONNX ? Encoders.loadDirectOrt(spec, fetcher, threads) : null) {
                warmUp(djl, inputs, batch);
                if (ort != null) {
                    warmUp(ort, inputs, batch);
                }
                // the two paths take turns batch by batch (first one, then the other, swapping each batch), so that
                // a shared machine's changing load falls on both alike
                long djlNanos = 0;
                long ortNanos = 0;
                List<Double> ratios = new ArrayList<>();
                boolean djlFirst = true;
                for (int r = 0; r < repeats; r++) {
                    for (int from = 0; from < inputs.size(); from += batch) {
                        List<EncoderInput> part = inputs.subList(from, Math.min(inputs.size(), from + batch));
                        long d = 0;
                        long t = 0;
                        if (djlFirst || ort == null) {
                            d = time(djl, part);
                        }
                        if (ort != null) {
                            t = time(ort, part);
                            if (!djlFirst) {
                                d = time(djl, part);
                            }
                            ratios.add((double) d / t);
                        }
                        djlNanos += d;
                        ortNanos += t;
                        djlFirst = !djlFirst;
                    }
                }
                double total = (double) repeats * inputs.size();
                o.put("djl_per_s", round(total / (djlNanos / 1e9)));
                if (ort != null) {
                    o.put("ort_direct_per_s", round(total / (ortNanos / 1e9)));
                    Collections.sort(ratios);
                    double median = ratios.size() % 2 == 1
                            ? ratios.get(ratios.size() / 2)
                            : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
                    o.put("djl_overhead_pct", round(100 * (median - 1)));
                    o.put("djl_overhead_pct_total", round(100.0 * (djlNanos - ortNanos) / ortNanos));
                }
                if (spec.preprocess() instanceof VideoPreprocess v) {
                    o.put("clips_per_s", round(total / (djlNanos / 1e9)));
                    videoDecoding(o, v, inputs, djlNanos / (double) repeats);
                }
            }
            out.println(JSON.writeValueAsString(o));
            return 0;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary folder is harmless
            }
        }
    }

    /** Decoding alone, against the whole encoding and against the ffmpeg command on the same frames. */
    private static void videoDecoding(ObjectNode o, VideoPreprocess v, List<EncoderInput> inputs, double encodeNanos)
            throws IOException, InterruptedException {
        FrameSampling sampling = FrameSampling.evenly(v.frames());
        // one untimed pass first, as the encoding it is compared with ran warm (its first batch warmed FFmpeg, the
        // JIT and the file cache): a cold pass alone could take longer than the warm encoding that includes it
        for (EncoderInput in : inputs) {
            VideoFrames.read(Path.of(in.value()), sampling, v.width(), v.height());
        }
        long decode = 0;
        int decoded = 0;
        List<Integer> lastFrame = new ArrayList<>();
        for (EncoderInput in : inputs) {
            Path f = Path.of(in.value());
            long t0 = System.nanoTime();
            List<VideoFrames.Frame8> frames = VideoFrames.read(f, sampling, v.width(), v.height());
            decode += System.nanoTime() - t0;
            int last = frames.get(frames.size() - 1).index();
            decoded += last + 1;
            lastFrame.add(last);
        }
        o.put("clip_frames_decoded", decoded);
        o.put("decode_s", round3(decode / 1e9));
        o.put("decode_share_pct", round(100 * decode / encodeNanos));
        String ffmpeg = onPath("ffmpeg");
        if (ffmpeg == null) {
            o.put("ffmpeg", "not on the PATH: no anchor");
            return;
        }
        List<Long> startup = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            startup.add(exec(List.of(ffmpeg, "-v", "error", "-nostdin", "-version")));
        }
        Collections.sort(startup);
        long start = startup.get(startup.size() / 2);
        long anchor = 0;
        for (int i = 0; i < inputs.size(); i++) {
            anchor += exec(List.of(
                    ffmpeg,
                    "-v",
                    "error",
                    "-nostdin",
                    "-i",
                    inputs.get(i).value(),
                    "-an",
                    "-frames:v",
                    Integer.toString(lastFrame.get(i) + 1),
                    "-s",
                    v.width() + "x" + v.height(),
                    "-pix_fmt",
                    "rgb24",
                    "-f",
                    "null",
                    "-"));
        }
        o.put("ffmpeg_decode_s", round3(anchor / 1e9));
        o.put("ffmpeg_startup_ms", round(start / 1e6));
        o.put("decode_vs_ffmpeg", round3((double) decode / anchor));
        o.put("decode_vs_ffmpeg_net", round3((double) decode / Math.max(1, anchor - start * inputs.size())));
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Runs a command, its output discarded; returns its wall time in nanoseconds. */
    private static long exec(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int status = p.waitFor();
        long t = System.nanoTime() - t0;
        if (status != 0) {
            throw new BtwException("the anchor command failed (exit " + status + "): " + String.join(" ", command));
        }
        return t;
    }

    private static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static void warmUp(Encoder e, List<EncoderInput> inputs, int batch) {
        for (int from = 0; from < Math.min(inputs.size(), 3 * batch); from += batch) {
            e.encode(inputs.subList(from, Math.min(inputs.size(), from + batch)));
        }
    }

    private static long time(Encoder e, List<EncoderInput> part) {
        long t0 = System.nanoTime();
        e.encode(part);
        return System.nanoTime() - t0;
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static int positive(CommandLine line, String key, int dflt) {
        if (!line.hasOption(key)) {
            return dflt;
        }
        String v = line.getOptionValue(key);
        try {
            int x = Integer.parseInt(v);
            if (x >= 1) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BtwException("--" + key + " must be a positive integer, got '" + v + "'");
    }
}

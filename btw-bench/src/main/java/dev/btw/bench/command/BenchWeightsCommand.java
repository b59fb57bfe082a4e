package dev.btw.bench.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.io.Json;
import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.EmaSmoother;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.RefreshResult;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench weights}: times one BTW refresh (Gaussian KL with residual sigmas, KSG mutual information,
 * {@code kl*mi}, EMA) on generated regression data and prints one JSON line. The data: labels
 * y ~ N(0, 1); modality m predicts y plus Gaussian noise whose standard deviation runs evenly from 0.2 to 3.0
 * over the modalities; the fused prediction is y + N(0, 0.3^2). scripts/bench/weights_numpy_sklearn.py times the
 * same computation with numpy and scikit-learn. The modalities' mutual information estimates run on
 * {@code --threads} threads (default: the available processors; 1 is the single-thread figure), with the same
 * result for any count. {@code seconds} is the best wall-clock time of the timed runs, {@code cpu_seconds} the
 * best CPU time of the whole process (all threads, as the Python script measures it), {@code thread_cpu_seconds}
 * the best CPU time of the calling thread alone (steadier on a shared machine; with one thread it is the refresh).
 */
public final class BenchWeightsCommand implements Command {

    private static final int WARM_UP = 3;

    @Override
    public String name() {
        return "bench weights";
    }

    @Override
    public String summary() {
        return "time one BTW weights refresh on generated data; prints one JSON line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("n")
                .hasArg()
                .argName("N")
                .desc("instances (default 100000)")
                .get());
        o.addOption(Option.builder()
                .longOpt("m")
                .hasArg()
                .argName("M")
                .desc("modalities (default 5)")
                .get());
        o.addOption(Option.builder()
                .longOpt("seed")
                .hasArg()
                .argName("S")
                .desc("data seed (default 1)")
                .get());
        o.addOption(Option.builder()
                .longOpt("repeats")
                .hasArg()
                .argName("R")
                .desc("timed runs after " + WARM_UP + " warm-up runs; the best is reported (default 5)")
                .get());
        o.addOption(Option.builder()
                .longOpt("threads")
                .hasArg()
                .argName("T")
                .desc("threads for the modalities' mutual information (default: available processors, here "
                        + Runtime.getRuntime().availableProcessors() + "; 1 = single-threaded)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        int n = positive(line, "n", 100_000);
        int m = positive(line, "m", 5);
        int repeats = positive(line, "repeats", 5);
        long seed = positive(line, "seed", 1);
        int threadCount = positive(line, "threads", Runtime.getRuntime().availableProcessors());
        if (n < 4) {
            throw new BtwException("--n must be at least 4 (KSG needs k + 1 instances)");
        }
        Random r = new Random(seed);
        double[] y = new double[n];
        double[] q = new double[n];
        double[][] p = new double[m][n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            q[i] = y[i] + 0.3 * r.nextGaussian();
        }
        Map<String, double[]> uni = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            double sd = m == 1 ? 1.0 : 0.2 + 2.8 * j / (m - 1);
            for (int i = 0; i < n; i++) {
                p[j][i] = y[i] + sd * r.nextGaussian();
            }
            uni.put("m" + j, p[j]);
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(Integer.toString(i));
        }
        ids = List.copyOf(ids);
        BtwRefresh refresh = BtwRefresh.builder().optThreads(threadCount).build();
        double[] seconds = new double[repeats];
        double[] cpuSeconds = new double[repeats];
        double[] threadCpuSeconds = new double[repeats];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ModalityWeights w = null;
        RefreshResult result = null;
        for (int run = -WARM_UP; run < repeats; run++) {
            long p0 = os.getProcessCpuTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            result = refresh.regression(ids, uni, q, y);
            w = new EmaSmoother().smooth(result.targets());
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            long p1 = os.getProcessCpuTime();
            if (run >= 0) {
                seconds[run] = (t1 - t0) / 1e9;
                cpuSeconds[run] = (p1 - p0) / 1e9;
                threadCpuSeconds[run] = (c1 - c0) / 1e9;
            }
        }
        Arrays.sort(seconds);
        Arrays.sort(cpuSeconds);
        Arrays.sort(threadCpuSeconds);
        ObjectMapper json = Json.MAPPER;
        ObjectNode o = json.createObjectNode();
        o.put("bench", "weights");
        o.put("n", n);
        o.put("m", m);
        o.put("seconds", seconds[0]);
        o.put("median_seconds", seconds[repeats / 2]);
        o.put("cpu_seconds", cpuSeconds[0]);
        o.put("thread_cpu_seconds", threadCpuSeconds[0]);
        o.put("repeats", repeats);
        o.put("warm_up", WARM_UP);
        o.put("impl", "java");
        o.put("java", System.getProperty("java.version"));
        o.put("threads", threadCount);
        o.set("mi", json.valueToTree(result.shares()));
        o.set("mean_weight", json.valueToTree(w.means()));
        out.println(json.writeValueAsString(o));
        return 0;
    }

    private static int positive(CommandLine line, String option, int fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(line.getOptionValue(option).trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BtwException("--" + option + ": not a positive integer: '" + line.getOptionValue(option) + "'");
        }
    }
}

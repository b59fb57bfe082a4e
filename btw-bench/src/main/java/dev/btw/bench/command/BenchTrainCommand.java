package dev.btw.bench.command;

import ai.djl.Device;
import dev.btw.app.experiment.DeviceChoice;
import dev.btw.bench.TrainBenchmark;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.djl.model.MoeFusionSpec;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw bench train}: training throughput of the fusion model on generated data, after one warm-up epoch,
 * and one BTW refresh's share of an epoch; prints one JSON line. {@code scripts/bench/train_torch_twin.py} times
 * the same model in eager PyTorch.
 */
public final class BenchTrainCommand implements Command {

    @Override
    public String name() {
        return "bench train";
    }

    @Override
    public String summary() {
        return "time fusion-model training (samples/s) and one BTW refresh on generated data; prints one JSON line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("dims", "D,D,...", "embedding width per modality (default 768,64,64)"));
        o.addOption(opt("n", "N", "training instances (default 2048)"));
        o.addOption(opt("threads", "T", "intra-op threads (default: the engine's)"));
        o.addOption(opt("experts", "E", "experts (default 16)"));
        o.addOption(opt("top-k", "K", "experts per token (default 2)"));
        o.addOption(opt("layers", "L", "fusion layers (default 2)"));
        o.addOption(opt("batch", "B", "batch size (default 32)"));
        o.addOption(opt("hidden", "H", "projection width (default 128)"));
        o.addOption(opt("expert-hidden", "H", "expert hidden width (default 768)"));
        o.addOption(opt("epochs", "E", "timed epochs after the warm-up epoch (default 2)"));
        o.addOption(opt("seed", "S", "seed (default 1)"));
        o.addOption(opt("device", "D", "auto | cpu | gpu | gpu:N (default cpu; auto takes GPU 0 when DJL sees one)"));
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        String dimsText = line.getOptionValue("dims", "768,64,64");
        MoeFusionSpec.Builder b = MoeFusionSpec.builder();
        String[] parts = dimsText.split(",");
        for (int i = 0; i < parts.length; i++) {
            try {
                int d = Integer.parseInt(parts[i].trim());
                if (d < 1) {
                    throw new NumberFormatException();
                }
                b.addModality("m" + i, d);
            } catch (NumberFormatException e) {
                throw new BtwException("--dims must be positive widths separated by commas, got '" + dimsText + "'");
            }
        }
        int n = positive(line, "n", 2048);
        int threads = positive(line, "threads", 0);
        int experts = positive(line, "experts", 16);
        int topK = positive(line, "top-k", 2);
        int layers = positive(line, "layers", 2);
        int batch = positive(line, "batch", 32);
        int epochs = positive(line, "epochs", 2);
        int hidden = positive(line, "hidden", 128);
        int expertHidden = positive(line, "expert-hidden", 768);
        long seed = positive(line, "seed", 1);
        if (topK > experts) {
            throw new BtwException("--top-k must not exceed --experts");
        }
        Device device = DeviceChoice.resolve("--device", line.getOptionValue("device", "cpu"), "PyTorch");
        DeviceChoice.setThreads(threads);
        MoeFusionSpec spec = b.setOutputs(1)
                .optExperts(experts)
                .optTopK(topK)
                .optLayers(layers)
                .optHidden(hidden)
                .optExpertHidden(expertHidden)
                .build();
        TrainBenchmark.Result r = TrainBenchmark.run(spec, n, batch, epochs, seed, device);
        out.println(String.format(
                Locale.ROOT,
                "{\"bench\":\"train\",\"impl\":\"btw-djl\",\"device\":\"%s\",\"dims\":[%s],\"n\":%d,"
                        + "\"threads\":%d,\"experts\":%d,\"top_k\":%d,\"layers\":%d,\"batch\":%d,\"epochs_timed\":%d,"
                        + "\"train_samples_per_s\":%.1f,\"epoch_s\":%.4f,\"refresh_s\":%.4f,\"refresh_predict_s\":%.4f,\"refresh_share\":%.4f,"
                        + "\"last_loss\":%.4f,\"step_ms\":{\"forward\":%.2f,\"backward\":%.2f,\"optimiser\":%.2f},\"fused_adam\":%b,\"malloc_tuned\":%b}",
                DeviceChoice.label(device),
                dimsText,
                n,
                threads,
                experts,
                topK,
                layers,
                batch,
                epochs,
                r.trainSamplesPerSecond(),
                r.epochSeconds(),
                r.refreshSeconds(),
                r.refreshPredictSeconds(),
                r.refreshShare(),
                r.lastLoss(),
                r.forwardMs(),
                r.backwardMs(),
                r.optimiserMs(),
                r.fusedOptimiser(),
                r.mallocTuned()));
        return 0;
    }

    private static int positive(CommandLine line, String key, int dflt) {
        if (!line.hasOption(key)) {
            return dflt;
        }
        String v = line.getOptionValue(key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BtwException("--" + key + " must be a positive integer, got '" + v + "'");
    }
}

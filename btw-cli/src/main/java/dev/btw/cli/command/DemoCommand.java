package dev.btw.cli.command;

import dev.btw.app.run.RunDirectory;
import dev.btw.cli.Btw;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.io.Json;
import dev.btw.data.RecipeOptions;
import dev.btw.data.RecipeResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw demo [--quick] [--out DIR]}: the end-to-end demonstration on the bundled default data. Builds the
 * AV-MNIST-style recipe (MNIST images with spoken digits, plus a third modality that carries only noise),
 * encodes it with the real PP-OCR and speech-embedding encoders, trains the unimodal references, late-average,
 * uniform fusion and BTW, prints the comparison, exports the BTW model to ONNX, predicts the data again with the
 * exported file in ONNX Runtime, writes the HTML report, and says where everything is. Each step is the
 * corresponding {@code btw} command, so the demo shows exactly what a user would run.
 */
public final class DemoCommand implements Command {

    /** The method the demo exports and predicts with: the default rule. */
    static final String EXPORTED = "exp(-kl)*mi";

    /** Methods the demo trains, in the order of its table. */
    static final String METHODS = "unimodal:image,unimodal:audio,unimodal:noise,late-average,uniform,kl*mi,exp(-kl)*mi";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "end-to-end demo on the bundled default data (AV-MNIST style + a noise modality)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("quick")
                .desc("a small subset and short training (a few minutes)")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("DIR")
                .desc("where to put the run, model, predictions and report (default btw-demo or btw-demo-quick)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws IOException {
        boolean quick = line.hasOption("quick");
        Path dir = Path.of(line.getOptionValue("out", quick ? "btw-demo-quick" : "btw-demo"))
                .toAbsolutePath();
        long start = System.nanoTime();

        step(out, 1, "data: AV-MNIST style (images + spoken digits) with a noise-only third modality");
        RecipeResult data = DataCommand.build(
                        List.of("av-mnist"), quick ? RecipeOptions.quickBuild() : RecipeOptions.defaults(), out, err)
                .get(0);
        Path config = data.extraConfigs().stream()
                .filter(p -> p.getFileName().toString().contains("noise"))
                .findFirst()
                .orElseThrow(() -> new BtwException("the av-mnist recipe wrote no noise config"));

        Path run = dir.resolve("run");
        if (RunDirectory.of(run).isFinished()) {
            out.println("a finished run is already in " + run + ": training is skipped (delete it to train again)");
        } else {
            step(out, 2, "encode (PP-OCR image encoder, speech-embedding audio encoder) and train");
            List<String> train = new ArrayList<>(
                    List.of("train", "--config", config.toString(), "--out", run.toString(), "--methods", METHODS));
            if (Files.exists(run)) {
                train.add("--resume");
            }
            for (String s : settings(quick)) {
                train.add("--set");
                train.add(s);
            }
            call(train, out, err);
        }

        step(out, 3, "export the BTW model (exp(-kl)*mi, the default rule) to ONNX");
        Path model = dir.resolve("btw-av-mnist.onnx");
        call(List.of("export", "--run", run.toString(), "--method", EXPORTED, "--out", model.toString()), out, err);

        step(out, 4, "predict every instance again with the exported file, in ONNX Runtime");
        Path predictions = dir.resolve("predictions.csv");
        call(
                List.of(
                        "predict",
                        "--model",
                        model.toString(),
                        "--config",
                        config.toString(),
                        "--manifest",
                        data.manifest().toString(),
                        "--out",
                        predictions.toString(),
                        "--quiet"),
                out,
                err);
        double runAccuracy = Json.MAPPER
                .readTree(RunDirectory.of(run).metrics().toFile())
                .path("methods")
                .path(EXPORTED)
                .path("test")
                .path("accuracy")
                .path("runs")
                .path(0)
                .asDouble(Double.NaN);
        out.printf(
                Locale.ROOT,
                "test accuracy of %s (seed 1111): %.4f in training (PyTorch), %.4f from the "
                        + "exported file (ONNX Runtime)%n",
                EXPORTED,
                runAccuracy,
                testAccuracy(data.manifest(), predictions));

        step(out, 5, "report");
        call(List.of("report", "--run", run.toString()), out, err);

        out.println();
        out.printf(
                Locale.ROOT,
                "demo finished in %.1f min. Everything is in %s:%n",
                (System.nanoTime() - start) / 6e10,
                dir);
        out.println("  run directory   " + run + " (model.json, metrics.json, predictions/, weights/, checkpoints/)");
        out.println("  ONNX model      " + model);
        out.println("  predictions     " + predictions);
        out.println("  report          " + run.resolve("report.html"));
        out.println("  data            " + data.folder());
        return 0;
    }

    /** Training settings: small enough for two cores, large enough to separate the methods. */
    static List<String> settings(boolean quick) {
        // one intra-op thread: on a busy two-core machine libtorch's spinning thread pool was measured up to 30x
        // slower than a single thread (docs/PERFORMANCE.md, "Threads")
        List<String> s = new ArrayList<>(List.of(
                "train.threads=1",
                "train.lr=1e-3",
                "train.batch=32",
                "model.hidden=64",
                "model.ff_hidden=128",
                "model.head_hidden=64",
                "model.experts=8",
                "model.expert_hidden=128"));
        if (quick) {
            s.addAll(List.of("train.epochs=6", "train.patience=6", "train.seeds=[1111]"));
        } else {
            s.addAll(List.of("train.epochs=8", "train.patience=3", "train.seeds=[1111]"));
        }
        return s;
    }

    private static void step(PrintStream out, int n, String what) {
        out.println();
        out.println("== " + n + ". " + what);
    }

    private static void call(List<String> args, PrintStream out, PrintStream err) {
        int status = new Btw().run(args.toArray(new String[0]), out, err);
        if (status != 0) {
            throw new BtwException("step 'btw " + args.get(0) + "' failed (exit " + status + "); see above");
        }
    }

    /** Accuracy of the predictions file on the manifest's test rows (labels read only for this final score). */
    static double testAccuracy(Path manifest, Path predictions) throws IOException {
        Map<String, String> label = new HashMap<>();
        List<String> rows = Files.readAllLines(manifest);
        List<String> header = List.of(rows.get(0).split(","));
        int id = header.indexOf("id");
        int split = header.indexOf("split");
        int lab = header.indexOf("label");
        for (String r : rows.subList(1, rows.size())) {
            String[] c = r.split(",", -1);
            if (c[split].equals("test")) {
                label.put(c[id], c[lab]);
            }
        }
        List<String> pred = Files.readAllLines(predictions);
        String[] classes = pred.get(0).split(",");
        int right = 0;
        int n = 0;
        for (String r : pred.subList(1, pred.size())) {
            String[] c = r.split(",");
            String truth = label.get(c[0]);
            if (truth == null) {
                continue;
            }
            int best = 1;
            for (int j = 2; j < c.length; j++) {
                if (Double.parseDouble(c[j]) > Double.parseDouble(c[best])) {
                    best = j;
                }
            }
            n++;
            right += classes[best].equals(truth) ? 1 : 0;
        }
        return n == 0 ? Double.NaN : right / (double) n;
    }
}

package dev.btw.cli.command;

import ai.onnx.proto.OnnxMl;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.run.RunDirectory;
import dev.btw.app.run.TrainedFusion;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.djl.export.EndToEndPlan;
import dev.btw.djl.export.OnnxMetadata;
import dev.btw.djl.export.OnnxModelFile;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.training.InstancePolicySettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw export --run DIR --out F.onnx [--method M] [--seed S]}: writes a trained fusion model as one ONNX
 * graph with btw's metadata, for ONNX Runtime or any other ONNX server.
 */
public final class ExportCommand implements Command {

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a trained fusion model of a run as one ONNX file";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("run")
                .hasArg()
                .argName("DIR")
                .required()
                .desc("the run directory written by 'btw train'")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("F.onnx")
                .required()
                .desc("the ONNX file to write")
                .get());
        o.addOption(Option.builder()
                .longOpt("method")
                .hasArg()
                .argName("M")
                .desc("the method to export (default: the run's first BTW method, else uniform)")
                .get());
        o.addOption(Option.builder()
                .longOpt("seed")
                .hasArg()
                .argName("S")
                .desc("the seed to export (default: the run's first)")
                .get());
        o.addOption(Option.builder()
                .longOpt("end-to-end")
                .desc("one graph from the encoders' own inputs (token ids and attention masks, image tensors) to "
                        + "the prediction: ONNX text and image encoders are merged; otherwise says which encoders "
                        + "cannot be merged and why (TorchScript encoders never are; a fine-tuned one is copied "
                        + "beside the file by an export without --end-to-end)")
                .get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        Integer seed = null;
        if (line.hasOption("seed")) {
            try {
                seed = Integer.parseInt(line.getOptionValue("seed"));
            } catch (NumberFormatException e) {
                throw new BtwException("--seed must be a whole number, got '" + line.getOptionValue("seed") + "'");
            }
        }
        Path target = Path.of(line.getOptionValue("out"));
        if (Files.isDirectory(target)) {
            throw new BtwException("--out " + target + " is a folder; give the model's file name, e.g. "
                    + target.resolve("model.onnx"));
        }
        RunDirectory run = RunDirectory.of(Path.of(line.getOptionValue("run")));
        try (TrainedFusion trained = load(run.root(), line.getOptionValue("method"), seed)) {
            if (line.hasOption("end-to-end")) {
                // the encoders as the run recorded them (model.json; a path in the config is absolute there)
                EndToEndPlan plan = EndToEndPlan.of(
                        run.readModel().encoders(),
                        run.root(),
                        trained.weights().keySet(),
                        new AssetFetcher());
                if (!plan.possible()) {
                    // the library's message names no option; this one names the user's
                    throw new BtwException(("--end-to-end is not possible for this run: " + plan.describeBlockers()
                                    + "Export without --end-to-end and run the encoders before the model ('btw predict' "
                                    + "does both).")
                            .trim());
                }
                OnnxMl.ModelProto merged = plan.merge(trained.toOnnx().build());
                AtomicFiles.write(target, merged::writeTo);
                List<String> inputs = new ArrayList<>();
                merged.getGraph().getInputList().forEach(i -> inputs.add(i.getName()));
                out.println("exported " + trained.method() + " (seed " + trained.seed() + ", "
                        + trained.weightsDescription() + ") end to end to " + target + "; inputs " + inputs);
                return 0;
            }
            String tuned = FineTunedEncoders.copyBeside(run.root(), trained, target);
            OnnxModelFile file = trained.toOnnx();
            if (tuned != null) {
                file.optMetadata(OnnxMetadata.FINE_TUNED_ENCODERS, tuned);
            }
            file.write(target);
            out.println("exported " + trained.method() + " (seed " + trained.seed() + ", "
                    + trained.weightsDescription() + ") to " + target);
            if (tuned != null) {
                out.println("fine-tuned TorchScript encoders (not merged: TorchScript cannot be converted to ONNX in "
                        + "pure Java) beside it: " + tuned);
            }
        }
        return 0;
    }

    /**
     * {@link TrainedFusion#load}, with the library's advice for a run whose instance-policy settings were never
     * recorded worded in this command line's terms.
     *
     * @param run the run directory
     * @param method the method, or null for the default
     * @param seed the seed, or null for the best
     * @return the loaded run
     */
    public static TrainedFusion load(Path run, String method, Integer seed) {
        try {
            return TrainedFusion.load(run, method, seed);
        } catch (InstancePolicySettings.NotRecordedException e) {
            throw new BtwException(
                    e.getMessage() + "; with btw, resume it by running the same 'btw train' command "
                            + "again with --resume",
                    e);
        }
    }
}

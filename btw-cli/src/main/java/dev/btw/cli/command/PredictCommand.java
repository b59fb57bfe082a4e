package dev.btw.cli.command;

import dev.btw.app.predict.ManifestPredictor;
import dev.btw.cli.Command;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code btw predict --model F.onnx --config C --manifest M --out P.csv}: runs the config's encoders over new
 * data and the exported fusion model in ONNX Runtime; writes {@code id}, the prediction or class
 * probabilities, and one {@code weight:<modality>} column per modality (the weight the model gave it for that
 * instance).
 */
public final class PredictCommand implements Command {

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "predict new data with an exported model (encoders, then the fused model in ONNX Runtime)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder()
                .longOpt("model")
                .hasArg()
                .argName("F.onnx")
                .required()
                .desc("a model written by 'btw export' (a fine-tuned encoder's folder F.encoders/ beside it is used "
                        + "for that modality)")
                .get());
        o.addOption(Option.builder()
                .longOpt("config")
                .hasArg()
                .argName("C")
                .required()
                .desc("the config the model was trained with (its encoders and training manifest)")
                .get());
        o.addOption(Option.builder()
                .longOpt("manifest")
                .hasArg()
                .argName("M")
                .required()
                .desc("new data: an id column and the columns the modalities read; empty cell = missing")
                .get());
        o.addOption(Option.builder()
                .longOpt("out")
                .hasArg()
                .argName("P.csv")
                .required()
                .desc("where to write the predictions: id, the prediction or one probability column per class, then "
                        + "weight:<modality> per modality (the weight the model gave it for the instance; 0 = missing)")
                .get());
        o.addOption(
                Option.builder().longOpt("quiet").desc("no progress on stderr").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        BtwConfig config = BtwConfig.load(Path.of(line.getOptionValue("config")), List.of());
        Path target = Path.of(line.getOptionValue("out"));
        for (String input : List.of("manifest", "config", "model")) {
            refuseSame(target, Path.of(line.getOptionValue(input)), input);
        }
        ProgressLine progress = line.hasOption("quiet") ? null : new ProgressLine(err, System.console() != null);
        int n = new ManifestPredictor(Path.of(line.getOptionValue("model")), config, progress)
                .predict(Path.of(line.getOptionValue("manifest")), target);
        out.println("predicted " + n + " instances: " + target);
        return 0;
    }

    /**
     * Refuses an output that is one of the command's inputs (it would be overwritten while, or instead of, being
     * read), or a folder.
     *
     * @param target the output
     * @param input an input
     * @param option the input's option name
     */
    static void refuseSame(Path target, Path input, String option) {
        boolean same;
        try {
            same = Files.exists(target) && Files.exists(input)
                    ? Files.isSameFile(target, input)
                    : target.toAbsolutePath()
                            .normalize()
                            .equals(input.toAbsolutePath().normalize());
        } catch (IOException e) {
            same = target.toAbsolutePath()
                    .normalize()
                    .equals(input.toAbsolutePath().normalize());
        }
        if (same) {
            throw new BtwException("--out " + target + " is the --" + option + " input: writing the predictions "
                    + "there would overwrite it; choose another file");
        }
        if (Files.isDirectory(target)) {
            throw new BtwException("--out " + target + " is a folder; give the predictions' file name, e.g. "
                    + target.resolve("predictions.csv"));
        }
    }
}

package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A fine-tuned encoder as a spec folder: {@code model.pt} (the TorchScript module with the trained parameters)
 * and {@code spec.yaml} (the original spec's preprocessing, pooling and dimension, with {@code files.model}
 * naming {@code model.pt} and its SHA-256). Any encoder reference ({@code encoder:} in a config,
 * {@link dev.btw.djl.encoder.spec.SpecLocator}, {@code Encoders.load}) accepts the folder's path, so the same
 * code that encoded with the original encodes with the fine-tuned one.
 *
 * <p>A training run writes one folder per fine-tuned modality under {@code checkpoints/METHOD/seed-S/encoders/},
 * from the best checkpoint; {@code btw export} copies them beside the ONNX file.
 */
public final class FineTunedEncoderFolder {

    /** The folder, under a run's checkpoint folder, that holds one spec folder per fine-tuned modality. */
    public static final String ENCODERS = "encoders";
    /** The model file's name inside a spec folder. */
    public static final String MODEL_FILE = "model.pt";

    private FineTunedEncoderFolder() {}

    /**
     * Writes each fine-tuned encoder of a model, with its current parameters.
     *
     * @param model the model
     * @param checkpointDir the run's checkpoint folder for one method and seed
     * @return the folders written, by modality
     */
    static Map<String, Path> write(FusionModel model, Path checkpointDir) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (TrainableEncoder e : model.encoders().values()) {
            Path folder = checkpointDir.resolve(ENCODERS).resolve(e.modality());
            try {
                Files.createDirectories(folder);
                Path file = folder.resolve(MODEL_FILE);
                AtomicFiles.write(file, e::writeModule);
                AtomicFiles.writeString(folder.resolve(SpecReader.FILE), specYaml(e.setting(), Sha256.of(file)));
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "cannot write the fine-tuned encoder to " + folder + ": " + ex.getMessage(), ex);
            }
            out.put(e.modality(), folder);
        }
        return out;
    }

    /** The original spec.yaml with the model file replaced by the fine-tuned one. */
    @SuppressWarnings("unchecked")
    private static String specYaml(FineTunedModality f, String sha256) throws IOException {
        EncoderSpec spec = f.spec();
        Map<String, Object> root;
        try (Reader r = Files.newBufferedReader(spec.folder().resolve(SpecReader.FILE))) {
            root = new LinkedHashMap<>(
                    (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(r));
        }
        root.remove("name");
        root.remove("trainable");
        root.put(
                "description",
                "encoder '" + spec.name() + "' fine-tuned with the fusion model for modality '" + f.modality() + "'");
        Map<String, Object> files = new LinkedHashMap<>((Map<String, Object>) root.get("files"));
        for (Map.Entry<String, Object> e : files.entrySet()) {
            if (!e.getKey().equals(EncoderSpec.MODEL) && ((Map<String, Object>) e.getValue()).containsKey("local")) {
                // an extra local file stays where the original spec has it
                Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) e.getValue());
                a.put(
                        "local",
                        spec.folder()
                                .resolve((String) a.get("local"))
                                .toAbsolutePath()
                                .normalize()
                                .toString());
                e.setValue(a);
            }
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("local", MODEL_FILE);
        model.put("sha256", sha256);
        files.put(EncoderSpec.MODEL, model);
        root.put("files", files);
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(root);
    }

    /**
     * The fine-tuned encoder folders a training run wrote for one method and seed.
     *
     * @param checkpointDir the run's checkpoint folder for that method and seed
     * @return the spec folders, by modality (empty when nothing was fine-tuned)
     */
    public static Map<String, Path> find(Path checkpointDir) {
        Map<String, Path> out = new LinkedHashMap<>();
        Path root = checkpointDir.resolve(ENCODERS);
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve(SpecReader.FILE)))
                    .sorted()
                    .forEach(p -> out.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new BtwException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }
}

package dev.btw.djl.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.Engine;
import java.io.IOException;
import java.nio.file.Path;

/** Loads one model file through DJL {@link Criteria} on the engine a spec names. */
final class ModelLoader {

    private ModelLoader() {}

    static <I, O> ZooModel<I, O> load(
            String encoder,
            Engine engine,
            Path file,
            Class<I> in,
            Class<O> out,
            Translator<I, O> translator,
            EncoderOptions options) {
        // the folder plus the file's base name, as DJL's repositories expect (a file path works too, with a warning)
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        Criteria.Builder<I, O> b = Criteria.builder()
                .setTypes(in, out)
                .optModelPath(file.toAbsolutePath().getParent())
                .optModelName(dot > 0 ? fileName.substring(0, dot) : fileName)
                .optEngine(engine.djlName())
                .optTranslator(translator);
        if (engine == Engine.ONNX && options.threads() > 0) {
            b.optOption("intraOpNumThreads", Integer.toString(options.threads()));
            b.optOption("interOpNumThreads", "1");
        }
        // always explicit: DJL's default would be GPU 0 whenever CUDA sees one, even for a CPU-only ONNX Runtime.
        // PyTorch maps the TorchScript file's tensors to the device; ONNX Runtime adds its CUDA provider for a GPU
        b.optDevice(options.device() != null ? options.device() : Device.cpu());
        if (engine == Engine.TORCHSCRIPT && options.trainable()) {
            b.optOption("trainParam", "true");
        }
        try {
            return b.build().loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new BtwException(
                    "encoder " + encoder + ": cannot load " + file.getFileName() + " with DJL's " + engine.djlName()
                            + " engine: " + e.getMessage(),
                    e);
        }
    }
}

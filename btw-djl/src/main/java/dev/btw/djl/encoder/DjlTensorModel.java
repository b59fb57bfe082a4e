package dev.btw.djl.encoder;

import dev.btw.djl.encoder.spec.Engine;
import java.nio.file.Path;

/** A {@link TensorModel} run by DJL: a {@link TensorTranslator} over a model loaded with DJL Criteria. */
final class DjlTensorModel implements TensorModel {

    private final Predictors<FloatTensor, FloatTensor> predictors;

    DjlTensorModel(
            String encoder, Engine engine, Path file, String inputName, String outputName, EncoderOptions options) {
        this.predictors = new Predictors<>(ModelLoader.load(
                encoder,
                engine,
                file,
                FloatTensor.class,
                FloatTensor.class,
                new TensorTranslator(engine == Engine.ONNX ? inputName : "", outputName),
                options));
    }

    @Override
    public FloatTensor run(FloatTensor input) throws Exception {
        return predictors.get().predict(input);
    }

    @Override
    public void close() {
        predictors.close();
    }
}

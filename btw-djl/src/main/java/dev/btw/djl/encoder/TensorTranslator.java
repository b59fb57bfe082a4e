package dev.btw.djl.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;

/**
 * A DJL translator from one float tensor (already batched by the caller) to the model's chosen output as a float
 * tensor. Works on both engines: it only creates arrays and reads them back, operations that ONNX Runtime arrays
 * support natively; pooling happens on the Java side.
 */
final class TensorTranslator implements Translator<FloatTensor, FloatTensor> {

    private final String inputName;
    private final String outputName;

    /**
     * @param inputName the model input's name, or empty to feed it by position
     * @param outputName the output to return, or empty for the first
     */
    TensorTranslator(String inputName, String outputName) {
        this.inputName = inputName;
        this.outputName = outputName;
    }

    /** @return null: the caller batches, so DJL must not add a batch axis */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, FloatTensor input) {
        NDManager manager = ctx.getNDManager();
        NDArray array = manager.create(FloatBuffer.wrap(input.data()), new Shape(input.shape()));
        if (!inputName.isEmpty()) {
            array.setName(inputName);
        }
        return new NDList(array);
    }

    @Override
    public FloatTensor processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = outputName.isEmpty() ? list.head() : list.get(outputName);
        if (out == null) {
            throw new IllegalStateException("model has no output named '" + outputName + "'");
        }
        return new FloatTensor(out.toFloatArray(), out.getShape().getShape());
    }
}

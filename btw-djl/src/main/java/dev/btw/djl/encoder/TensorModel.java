package dev.btw.djl.encoder;

/**
 * A model that maps one float tensor to another: the seam between an encoder's preprocessing and pooling and the
 * engine that runs the model. {@link DjlTensorModel} is the product path; {@link OrtTensorModel} calls ONNX
 * Runtime's Java API directly and exists to measure DJL's overhead ({@code btw bench encode}).
 */
public interface TensorModel extends AutoCloseable {

    /**
     * @param input a batched input
     * @return the chosen output
     * @throws Exception when the engine fails
     */
    FloatTensor run(FloatTensor input) throws Exception;

    /** Releases the model. */
    @Override
    void close();
}

package dev.btw.djl.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.btw.core.BtwException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link TensorModel} that calls the ONNX Runtime Java API directly, without DJL: the baseline against which
 * {@code btw bench encode} measures DJL's overhead. Same session settings as the DJL path (intra-op threads).
 *
 * <p>It stays in this package rather than the benchmarks (btw-bench): {@link Encoders#loadDirectOrt} builds the
 * speech and image encoders around it through their package-private constructors, so moving it would widen those
 * encoders' API only for a benchmark.
 */
public final class OrtTensorModel implements TensorModel {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final String outputName;

    /**
     * @param file the ONNX file
     * @param outputName the output to return, or empty for the first
     * @param threads intra-op threads, 0 for ONNX Runtime's default
     */
    public OrtTensorModel(Path file, String outputName, int threads) {
        this.session = OrtSessions.open(env, file, threads);
        this.inputName = session.getInputNames().iterator().next();
        this.outputName = outputName;
    }

    @Override
    public FloatTensor run(FloatTensor input) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
                OrtSession.Result r = session.run(Map.of(inputName, in))) {
            OnnxTensor out = (OnnxTensor)
                    (outputName.isEmpty() ? r.get(0) : r.get(outputName).orElseThrow());
            FloatBuffer fb = out.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new FloatTensor(data, out.getInfo().getShape());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new BtwException("cannot close ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}

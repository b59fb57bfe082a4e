package dev.btw.djl.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.btw.core.BtwException;
import java.nio.file.Path;

/** Opens plain ONNX Runtime sessions with the settings DJL's OnnxRuntime engine uses here. */
final class OrtSessions {

    private OrtSessions() {}

    static OrtSession open(OrtEnvironment env, Path file, int threads) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                o.setIntraOpNumThreads(threads);
                o.setInterOpNumThreads(1);
            }
            return env.createSession(file.toString(), o);
        } catch (OrtException e) {
            throw new BtwException("cannot open " + file.getFileName() + " with ONNX Runtime: " + e.getMessage(), e);
        }
    }
}

package dev.btw.djl.encoder.spec;

/** The DJL engine that runs an encoder's model file. */
public enum Engine {
    /** ONNX Runtime, through DJL's {@code OnnxRuntime} engine. */
    ONNX("OnnxRuntime"),
    /** TorchScript, through DJL's {@code PyTorch} engine. */
    TORCHSCRIPT("PyTorch");

    private final String djlName;

    Engine(String djlName) {
        this.djlName = djlName;
    }

    /** @return the engine name DJL's {@code Criteria.optEngine} expects */
    public String djlName() {
        return djlName;
    }
}

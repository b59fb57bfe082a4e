package dev.btw.app.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a device setting ({@code train.device}, {@code encode.device}: {@code auto}, {@code cpu}, {@code gpu} or
 * {@code gpu:N}) into an engine device, and {@code train.threads} into the engine's thread count.
 *
 * <p>{@code auto} takes GPU 0 when the engine sees a GPU and the CPU otherwise, saying so in one log line (INFO,
 * this class's logger). {@code gpu} and {@code gpu:N} without that GPU stop with a {@link BtwException} that says
 * how to get a GPU build.
 */
public final class DeviceChoice {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);

    /** What this JVM has said already: a suite trains hundreds of runs in one process and needs the line once. */
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private static void infoOnce(String message) {
        if (SAID.add(message)) {
            LOG.info(message);
        }
    }

    /** Where a GPU build comes from; docs/GPU.md has the details. */
    static final String HOW_TO_GET_A_GPU_BUILD = "a GPU build needs an NVIDIA driver and CUDA natives: build with "
            + "the Maven profile cuda ('mvn -Pcuda package', which the btw launcher's CUDA option runs), or see "
            + "docs/GPU.md for DJL's own download and a local libtorch (PYTORCH_LIBRARY_PATH)";

    /** Where ONNX Runtime with CUDA comes from. */
    static final String HOW_TO_GET_A_GPU_ONNX_RUNTIME = "ONNX Runtime on a GPU needs its CUDA build, CUDA 12 and "
            + "cuDNN 9: build with the Maven profile cuda-ort ('mvn -Pcuda-ort package', which the btw launcher's "
            + "CUDA ONNX Runtime option runs), see docs/GPU.md";

    /** What a device setting asks for. */
    public enum Kind {
        /** A GPU when the engine sees one, else the CPU. */
        AUTO,
        /** The CPU. */
        CPU,
        /** A GPU; fails without one. */
        GPU
    }

    /**
     * A parsed device setting.
     *
     * @param kind what it asks for
     * @param index the GPU index for {@link Kind#GPU} ({@code gpu} is index 0), otherwise -1
     * @param value the setting as written
     */
    public record Request(Kind kind, int index, String value) {}

    private DeviceChoice() {}

    /**
     * Parses a device setting.
     *
     * @param key the config key, for messages (e.g. {@code train.device})
     * @param value {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} (N a GPU index from 0)
     * @return the request
     * @throws BtwException naming the key for any other value
     */
    public static Request parse(String key, String value) {
        if ("auto".equals(value)) {
            return new Request(Kind.AUTO, -1, value);
        }
        if ("cpu".equals(value)) {
            return new Request(Kind.CPU, -1, value);
        }
        if ("gpu".equals(value)) {
            return new Request(Kind.GPU, 0, value);
        }
        if (value != null && value.matches("gpu:[0-9]{1,4}")) {
            return new Request(Kind.GPU, Integer.parseInt(value.substring(4)), value);
        }
        throw new BtwException(
                what(key) + " must be auto, cpu, gpu or gpu:N (N a GPU index from 0), got '" + value + "'");
    }

    /**
     * Resolves {@code train.device} with DJL's PyTorch engine.
     *
     * @param value the setting
     * @return the device
     * @throws BtwException for a bad value, or a GPU that the engine does not see
     */
    public static Device resolve(String value) {
        return resolve("train.device", value, "PyTorch");
    }

    /**
     * Resolves a device setting against what an engine sees.
     *
     * @param key the config key, for messages
     * @param value the setting
     * @param engineName the DJL engine that will run on the device ({@code PyTorch}, {@code OnnxRuntime})
     * @return the device
     * @throws BtwException for a bad value, or a GPU that the engine does not see
     */
    public static Device resolve(String key, String value, String engineName) {
        Request request = parse(key, value);
        if (request.kind() == Kind.CPU) {
            return Device.cpu();
        }
        if ("OnnxRuntime".equals(engineName) && !ortHasCuda()) {
            // checked first: asking DJL's OnnxRuntime engine about GPUs logs a warning without the provider
            return choose(
                    key,
                    request,
                    0,
                    "ONNX Runtime sees no GPU (this build's ONNX Runtime has no CUDA " + "execution provider)",
                    HOW_TO_GET_A_GPU_ONNX_RUNTIME,
                    DeviceChoice::infoOnce);
        }
        Engine engine = Engine.getEngine(engineName);
        String natives = "no GPU or NVIDIA driver is visible";
        if ("PyTorch".equals(engineName)) {
            String flavor = pytorchFlavor();
            natives = "cpu".equals(flavor)
                    ? "its natives are CPU-only"
                    : "its natives are " + (flavor == null ? "CUDA" : flavor) + ", but no GPU or NVIDIA driver is "
                            + "visible";
            if (flavor == null && !engine.hasCapability(StandardCapabilities.CUDA)) {
                natives = "its natives have no CUDA";
            }
        }
        // DJL's OnnxRuntime engine reports the version it was built for, not the ONNX Runtime on the classpath
        String version = "PyTorch".equals(engineName) ? " " + engine.getVersion() : "";
        return choose(
                key,
                request,
                engine.getGpuCount(),
                "DJL's " + engineName + " engine" + version + " sees no GPU (" + natives + ")",
                "OnnxRuntime".equals(engineName) ? HOW_TO_GET_A_GPU_ONNX_RUNTIME : HOW_TO_GET_A_GPU_BUILD,
                DeviceChoice::infoOnce);
    }

    /**
     * The PyTorch natives' flavour ({@code cpu}, {@code cu124}, ...): {@code PYTORCH_FLAVOR} when a local libtorch
     * is named, else the bundled native jar's; null when neither says.
     */
    static String pytorchFlavor() {
        String env = System.getenv("PYTORCH_FLAVOR");
        if (System.getenv("PYTORCH_LIBRARY_PATH") != null && env != null && !env.isBlank()) {
            return env.trim();
        }
        try (InputStream in =
                DeviceChoice.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("flavor");
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean ortHasCuda() {
        try {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (Exception | LinkageError e) { // some ONNX Runtime versions declare OrtException here
            return false;
        }
    }

    /**
     * The decision itself, for a known GPU count (unit-tested without a GPU).
     *
     * @param key the config key, for messages
     * @param request the parsed setting
     * @param gpus the GPUs the engine sees
     * @param why why there is no GPU, for messages
     * @param log where the one line about an automatic CPU fallback goes
     * @return the device
     */
    static Device choose(String key, Request request, int gpus, String why, Consumer<String> log) {
        return choose(key, request, gpus, why, HOW_TO_GET_A_GPU_BUILD, log);
    }

    private static Device choose(
            String key, Request request, int gpus, String why, String howTo, Consumer<String> log) {
        switch (request.kind()) {
            case CPU:
                return Device.cpu();
            case AUTO:
                if (gpus > 0) {
                    return Device.gpu(0);
                }
                log.accept(key + " is auto and " + why + ": running on the CPU");
                return Device.cpu();
            default:
                if (gpus == 0) {
                    throw new BtwException(what(key) + " is " + request.value() + ", but " + why + "; " + howTo);
                }
                if (request.index() >= gpus) {
                    throw new BtwException(what(key) + " is " + request.value() + ", but the engine sees " + gpus
                            + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0 to gpu:" + (gpus - 1) + ")");
                }
                return Device.gpu(request.index());
        }
    }

    private static String what(String key) {
        return key.startsWith("--") ? "option " + key : "config key '" + key + "'";
    }

    /**
     * @param device a device
     * @return it as a device setting names it: {@code cpu} or {@code gpu:N}
     */
    public static String label(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /**
     * Sets the engine's intra-op threads.
     *
     * @param threads the count; 0 or less keeps the engine's default
     */
    public static void setThreads(int threads) {
        if (threads > 0) {
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(threads);
        }
    }
}

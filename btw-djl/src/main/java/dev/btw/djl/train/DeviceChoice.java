package dev.btw.djl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.btw.core.BtwException;

/** Turns the config's {@code train.device} and {@code train.threads} into an engine device and thread count. */
public final class DeviceChoice {

    private DeviceChoice() {}

    /**
     * @param value {@code auto} (a GPU when DJL sees one), {@code cpu} or {@code gpu}
     * @return the device
     * @throws BtwException naming {@code train.device} for another value, or {@code gpu} without a GPU
     */
    public static Device resolve(String value) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        switch (value) {
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new BtwException("config key 'train.device' is gpu, but DJL sees no GPU");
                }
                return Device.gpu();
            default:
                throw new BtwException("config key 'train.device' must be auto, cpu or gpu, got '" + value + "'");
        }
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

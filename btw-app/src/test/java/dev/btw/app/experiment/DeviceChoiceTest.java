package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    private static final String WHY = "DJL's PyTorch engine sees no GPU (its natives are CPU-only)";

    private static Device choose(String value, int gpus, List<String> log) {
        return DeviceChoice.choose("train.device", DeviceChoice.parse("train.device", value), gpus, WHY, log::add);
    }

    @Test
    void parsesEveryForm() {
        assertEquals(
                new DeviceChoice.Request(DeviceChoice.Kind.AUTO, -1, "auto"),
                DeviceChoice.parse("train.device", "auto"));
        assertEquals(
                new DeviceChoice.Request(DeviceChoice.Kind.CPU, -1, "cpu"), DeviceChoice.parse("train.device", "cpu"));
        assertEquals(
                new DeviceChoice.Request(DeviceChoice.Kind.GPU, 0, "gpu"), DeviceChoice.parse("train.device", "gpu"));
        assertEquals(
                new DeviceChoice.Request(DeviceChoice.Kind.GPU, 3, "gpu:3"),
                DeviceChoice.parse("train.device", "gpu:3"));
        for (String bad : new String[] {"GPU", "gpu:", "gpu:-1", "gpu:x", "cuda", "cpu:0", "", "gpu:12345"}) {
            BtwException e = assertThrows(BtwException.class, () -> DeviceChoice.parse("encode.device", bad), bad);
            assertTrue(
                    e.getMessage().contains("'encode.device'") && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void autoTakesTheFirstGpuOrFallsBackToTheCpuWithOneLine() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.gpu(0), choose("auto", 2, log));
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(Device.cpu(), choose("auto", 0, log));
        assertEquals(1, log.size(), log.toString());
        assertEquals("train.device is auto and " + WHY + ": running on the CPU", log.get(0));
    }

    @Test
    void cpuAndGpuNeverLog() {
        List<String> log = new ArrayList<>();
        assertEquals(Device.cpu(), choose("cpu", 0, log));
        assertEquals(Device.cpu(), choose("cpu", 4, log));
        assertEquals(Device.gpu(0), choose("gpu", 1, log));
        assertEquals(Device.gpu(2), choose("gpu:2", 3, log));
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void gpuWithoutAGpuSaysHowToGetAGpuBuild() {
        for (String value : new String[] {"gpu", "gpu:1"}) {
            BtwException e = assertThrows(BtwException.class, () -> choose(value, 0, new ArrayList<>()));
            assertTrue(
                    e.getMessage().startsWith("config key 'train.device' is " + value + ", but " + WHY),
                    e.getMessage());
            // the library names the Maven profile, not the launcher's command-line option
            assertTrue(
                    e.getMessage().contains("-Pcuda")
                            && !e.getMessage().contains("--cuda")
                            && e.getMessage().contains("PYTORCH_LIBRARY_PATH"),
                    e.getMessage());
        }
    }

    @Test
    void aGpuIndexBeyondTheEngineCountIsAnError() {
        BtwException e = assertThrows(BtwException.class, () -> choose("gpu:2", 2, new ArrayList<>()));
        assertEquals("config key 'train.device' is gpu:2, but the engine sees 2 GPUs (gpu:0 to gpu:1)", e.getMessage());
    }

    @Test
    void commandLineOptionsAreNamedAsOptions() {
        BtwException e = assertThrows(BtwException.class, () -> DeviceChoice.parse("--device", "tpu"));
        assertTrue(e.getMessage().startsWith("option --device must be"), e.getMessage());
    }

    /** Against the engine this build carries: the answer must agree with what the engine reports. */
    @Test
    void resolvesAgainstTheRealEngine() {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        assertEquals(gpus > 0 ? Device.gpu(0) : Device.cpu(), DeviceChoice.resolve("auto"));
        assertEquals(Device.cpu(), DeviceChoice.resolve("cpu"));
        if (gpus == 0) {
            BtwException e = assertThrows(BtwException.class, () -> DeviceChoice.resolve("gpu"));
            String flavor = DeviceChoice.pytorchFlavor();
            assertTrue(
                    e.getMessage()
                            .contains("sees no GPU ("
                                    + ("cpu".equals(flavor)
                                            ? "its natives are CPU-only"
                                            : "its natives are " + flavor + ", but no GPU")),
                    e.getMessage());
        } else {
            assertEquals(Device.gpu(0), DeviceChoice.resolve("gpu"));
        }
        assertEquals("cpu", DeviceChoice.label(Device.cpu()));
        assertEquals("gpu:1", DeviceChoice.label(Device.gpu(1)));
    }

    /** The stock ONNX Runtime has no CUDA provider: encode.device gpu is refused before any model loads. */
    @Test
    void onnxEncodersOnAGpuNeedTheGpuOnnxRuntime() throws Exception {
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        if (!cuda) {
            BtwException e =
                    assertThrows(BtwException.class, () -> DeviceChoice.resolve("encode.device", "gpu", "OnnxRuntime"));
            assertTrue(e.getMessage().contains("-Pcuda-ort"), e.getMessage());
            assertEquals(Device.cpu(), DeviceChoice.resolve("encode.device", "auto", "OnnxRuntime"));
        } else {
            int gpus = Engine.getEngine("OnnxRuntime").getGpuCount();
            assertEquals(
                    gpus > 0 ? Device.gpu(0) : Device.cpu(),
                    DeviceChoice.resolve("encode.device", "auto", "OnnxRuntime"));
        }
    }
}

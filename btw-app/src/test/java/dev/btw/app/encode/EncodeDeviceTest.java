package dev.btw.app.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.encoder.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code encode.device} reaches the encoders: MiniLM (ONNX Runtime) and the digit CNN (TorchScript). */
class EncodeDeviceTest {

    @TempDir
    Path dir;

    private Path config() throws IOException {
        List<String> rows = new ArrayList<>(List.of("id,split,label,sentence,image"));
        String[] sentences = {"I loved it.", "Terrible service.", "Fine, nothing special."};
        for (int i = 0; i < 6; i++) {
            Path png = dir.resolve("img" + i + ".png");
            Files.copy(ManifestEncodingTest.resource("/digits/" + i + "-0.png"), png);
            rows.add(String.join(
                    ",",
                    "s" + i,
                    i < 4 ? "train" : i < 5 ? "val" : "test",
                    Integer.toString(i % 2),
                    "\"" + sentences[i % 3] + "\"",
                    png.getFileName().toString()));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        String models = TestSpecs.models().toString().replace("\\", "/");
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  text: { encoder: " + models + "/minilm-l6-v2, column: sentence }\n"
                        + "  image: { encoder: " + models + "/mnist-cnn, column: image }\n"
                        + "encode: { batch: 4 }\n");
        return config;
    }

    private List<EncodeResult> encode(Path config, String device, String store) {
        return ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of("encode.device=" + device, "encode.store=" + store)))
                .optFetcher(TestSpecs.fetcher())
                .optLocator(TestSpecs.locator())
                .optWorkers(1)
                .build()
                .run();
    }

    @Test
    void autoWithoutAGpuEncodesAsTheCpuDoes() throws IOException {
        Path config = config();
        assertEquals(2, encode(config, "cpu", "on-cpu").size());
        assertEquals(2, encode(config, "auto", "on-auto").size());
        boolean gpu = Engine.getEngine("PyTorch").getGpuCount() > 0;
        for (String modality : List.of("text", "image")) {
            ModalityFeatures cpu = FeatureStore.open(dir.resolve("on-cpu")).read(modality);
            ModalityFeatures auto = FeatureStore.open(dir.resolve("on-auto")).read(modality);
            assertEquals(6, cpu.size());
            assertEquals(cpu.ids(), auto.ids());
            for (int i = 0; i < cpu.size(); i++) {
                // the same kernels without a GPU; a GPU may change the last digits
                assertArrayEquals(cpu.row(i), auto.row(i), gpu ? 1e-4f : 0f, modality + " row " + i);
            }
        }
    }

    @Test
    void gpuForAnOnnxEncoderNeedsTheGpuOnnxRuntime() throws Exception {
        Path config = config();
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            BtwException e = assertThrows(BtwException.class, () -> encode(config, "gpu", "on-gpu"));
            assertTrue(
                    e.getMessage().startsWith("config key 'encode.device' is gpu, but ONNX Runtime sees no GPU"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("-Pcuda-ort"), e.getMessage());
            assertTrue(Files.notExists(dir.resolve("on-gpu").resolve("text")), "nothing encoded for text");
        } else if (Engine.getEngine("OnnxRuntime").getGpuCount() > 0) {
            assertEquals(2, encode(config, "gpu", "on-gpu").size());
        } else {
            BtwException e = assertThrows(BtwException.class, () -> encode(config, "gpu", "on-gpu"));
            assertTrue(e.getMessage().contains("sees no GPU"), e.getMessage());
        }
    }
}

package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's own TorchScript digit encoder (models/mnist-cnn), through DJL's PyTorch engine. */
class TorchScriptEncoderTest {

    static Path digit(int d, int k) {
        try {
            return Path.of(TorchScriptEncoderTest.class
                    .getResource("/digits/" + d + "-" + k + ".png")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void embeddingsSeparateHeldOutDigits() {
        List<EncoderInput> in = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            for (int k = 0; k < 2; k++) {
                in.add(EncoderInput.of(d + "-" + k, digit(d, k).toString()));
            }
        }
        try (Encoder enc = Encoders.load(TestSpecs.spec("mnist-cnn"), TestSpecs.fetcher(), EncoderOptions.DEFAULT)) {
            List<float[]> v = enc.encode(in);
            assertEquals(32, v.get(0).length);
            // leave-one-out nearest neighbour over the 20 held-out digits
            int correct = 0;
            for (int i = 0; i < v.size(); i++) {
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int j = 0; j < v.size(); j++) {
                    double dist = 0;
                    for (int c = 0; c < 32; c++) {
                        dist += Math.pow(v.get(i)[c] - v.get(j)[c], 2);
                    }
                    if (j != i && dist < bestD) {
                        bestD = dist;
                        best = j;
                    }
                }
                correct += best / 2 == i / 2 ? 1 : 0;
            }
            assertTrue(correct >= 12, correct + "/20 nearest neighbours share the digit");
            // the same PNG through PyTorch 1.13 in Python (models/mnist-cnn/train.py's model) gives:
            float[] three = v.get(6);
            float[] expected = {0f, 0f, 11.16539f, 0f, 0f, 0f, 0f, 1.73536f, 17.28427f, 13.933f};
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], three[c], 1e-3, "feature " + c + " of digit 3-0");
            }
        }
    }

    @Test
    void anImageThatExistsButDoesNotDecodeIsBadInputNamingTheFile(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.png");
        byte[] png = Files.readAllBytes(digit(1, 0));
        Files.write(broken, Arrays.copyOf(png, 24)); // the PNG signature and part of its header, no pixels
        Path text = dir.resolve("text.png");
        Files.writeString(text, "not an image at all");
        try (Encoder enc = Encoders.load(TestSpecs.spec("mnist-cnn"), TestSpecs.fetcher(), EncoderOptions.DEFAULT)) {
            for (Path p : List.of(broken, text)) {
                BtwException e = assertThrows(
                        BtwException.class,
                        () -> enc.encode(List.of(
                                EncoderInput.of("row7", digit(2, 0).toString()),
                                EncoderInput.of("row8", p.toString()))));
                assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
                assertFalse(e.isInternal(), "an undecodable file is bad input: " + e.getMessage());
            }
        }
    }

    @Test
    void aModelThatCrashesOnAPreparedInputIsAnInternalFailure() {
        EncoderSpec spec = TestSpecs.spec("mnist-cnn");
        // 20x20 inputs reach the model's linear layer with the wrong width: the engine fails, not the input
        EncoderSpec wrong = new EncoderSpec(
                spec.name(),
                spec.folder(),
                spec.modality(),
                spec.engine(),
                spec.files(),
                spec.inputs(),
                new ImagePreprocess(1, 20, 20, 0, false, new float[] {0.1307f}, new float[] {0.3081f}),
                spec.pooling(),
                spec.dimension(),
                spec.output(),
                spec.licence(),
                spec.trainable());
        try (Encoder enc = Encoders.load(wrong, TestSpecs.fetcher(), EncoderOptions.DEFAULT)) {
            EncoderException e = assertThrows(
                    EncoderException.class,
                    () -> enc.encode(List.of(EncoderInput.of("row3", digit(3, 0).toString()))));
            assertTrue(e.isInternal(), e.getMessage());
            assertTrue(e.getMessage().contains("row3") && e.getMessage().contains("[1, 1, 20, 20]"), e.getMessage());
            // wrapping keeps the kind
            assertTrue(new BtwException("modality image: " + e.getMessage(), e).isInternal());
        }
    }

    @Test
    void fineTuningReachesTheEncodersParameters() {
        EncoderSpec spec = TestSpecs.spec("mnist-cnn");
        ImagePreprocess pre = (ImagePreprocess) spec.preprocess();
        try (ZooModel<NDList, NDList> model = TorchScriptModels.load(spec, TestSpecs.fetcher(), true);
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.create(ImageLoader.load(digit(3, 0), pre), new Shape(1, 1, 28, 28));
            ParameterList params = model.getBlock().getParameters();
            assertTrue(params.size() >= 6, "conv1, conv2, fc weights and biases");
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), true);
                assertEquals(new Shape(1, 32), out.head().getShape());
                gc.backward(out.head().sum());
            }
            double norm = 0;
            for (Pair<String, Parameter> p : params) {
                norm += p.getValue().getArray().getGradient().abs().sum().getFloat();
            }
            assertTrue(norm > 0, "gradients reach the encoder's parameters");
        }
    }
}

package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.btw.core.Task;
import dev.btw.core.config.GatingKind;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ONNX Runtime's outputs for an exported fusion block equal the DJL block's in evaluation mode, to 1e-5, on 1 000
 * instances of which some miss a modality (a NaN row in ONNX, a 0 in DJL's presence mask).
 */
class FusionOnnxParityTest {

    private static final int N = 1000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} modalities, {1}, {2} gating")
    @CsvSource({
        "1, REGRESSION, LAPLACE",
        "2, REGRESSION, LAPLACE",
        "5, REGRESSION, SOFTMAX",
        "1, CLASSIFICATION, SOFTMAX",
        "2, CLASSIFICATION, LAPLACE",
        "5, CLASSIFICATION, LAPLACE"
    })
    void onnxRuntimeMatchesTheBlock(int modalities, Task task, GatingKind gating) throws Exception {
        Random random = new Random(modalities * 31L + task.ordinal());
        MoeFusionSpec.Builder b = MoeFusionSpec.builder()
                .setOutputs(task == Task.REGRESSION ? 1 : 3)
                .optHidden(16)
                .optLayers(2)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(24)
                .optFfHidden(20)
                .optHeadHidden(12)
                .optGating(gating);
        int[] dims = {7, 3, 5, 2, 4};
        for (int m = 0; m < modalities; m++) {
            b.addModality("mod" + m, dims[m]);
        }
        MoeFusionSpec spec = b.build();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String name : spec.modalityNames()) {
            weights.put(name, 0.3 + random.nextDouble());
        }
        float[][][] x = new float[modalities][N][];
        float[] mask = new float[N * modalities];
        for (int i = 0; i < N; i++) {
            int dropped = modalities > 1 && i % 7 == 0 ? i % modalities : -1;
            for (int m = 0; m < modalities; m++) {
                x[m][i] = new float[dims[m]];
                for (int j = 0; j < dims[m]; j++) {
                    x[m][i][j] = (float) (random.nextGaussian() * 2);
                }
                mask[i * modalities + m] = m == dropped ? 0f : 1f;
            }
        }

        float[] expected;
        int outputs;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeFusionBlock block = new MoeFusionBlock(spec);
            block.initialize(manager);
            // Non-trivial norm and bias parameters, so the export must read them all.
            block.getParameters().forEach(p -> {
                NDArray a = p.getValue().getArray();
                a.addi(manager.randomNormal(0f, 0.05f, a.getShape(), a.getDataType()));
            });
            NDList inputs = new NDList();
            for (int m = 0; m < modalities; m++) {
                float[] flat = new float[N * dims[m]];
                for (int i = 0; i < N; i++) {
                    System.arraycopy(x[m][i], 0, flat, i * dims[m], dims[m]);
                }
                inputs.add(manager.create(flat, new Shape(N, dims[m])));
            }
            float[] w = new float[N * modalities];
            for (int i = 0; i < N; i++) {
                for (int m = 0; m < modalities; m++) {
                    w[i * modalities + m] = weights.get("mod" + m).floatValue();
                }
            }
            inputs.add(manager.create(w, new Shape(N, modalities)));
            inputs.add(manager.create(mask, new Shape(N, modalities)));
            NDArray out = block.forward(new ParameterStore(manager, false), inputs, false)
                    .get(0);
            if (task == Task.CLASSIFICATION) {
                out = out.softmax(1);
            }
            expected = out.toFloatArray();
            outputs = (int) out.getShape().get(1);

            Path file = dir.resolve("fusion.onnx");
            new FusionOnnxExporter(block).export(task, weights).write(file);
            float[] usedWeights = new float[N * modalities];
            for (int i = 0; i < usedWeights.length; i++) {
                usedWeights[i] = w[i] * mask[i];
            }
            float[] actual = runOnnx(file, spec, x, mask, task, usedWeights);
            assertEquals(expected.length, actual.length);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst < 1e-5, "largest difference " + worst + " over " + N + " x " + outputs);
            OnnxChecker.assertValid(file);
        }
    }

    /** Runs the file; checks its second output, the modality weights, against {@code usedWeights}. */
    private static float[] runOnnx(
            Path file, MoeFusionSpec spec, float[][][] x, float[] mask, Task task, float[] usedWeights)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int modalities = spec.modalityCount();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions())) {
            for (int m = 0; m < modalities; m++) {
                String name = spec.modalityNames().get(m);
                int dim = spec.inputDim(name);
                float[] flat = new float[N * dim];
                for (int i = 0; i < N; i++) {
                    if (mask[i * modalities + m] == 0f) {
                        Arrays.fill(flat, i * dim, (i + 1) * dim, Float.NaN);
                    } else {
                        System.arraycopy(x[m][i], 0, flat, i * dim, dim);
                    }
                }
                feed.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {N, dim}));
            }
            try (OrtSession.Result result = session.run(feed)) {
                String output = task == Task.CLASSIFICATION ? "probabilities" : "prediction";
                assertEquals(
                        List.of(output, OnnxMetadata.MODALITY_WEIGHTS_OUTPUT), List.copyOf(session.getOutputNames()));
                float[][] weights = (float[][])
                        result.get(OnnxMetadata.MODALITY_WEIGHTS_OUTPUT).get().getValue();
                for (int i = 0; i < N; i++) {
                    for (int m = 0; m < modalities; m++) {
                        assertEquals(
                                usedWeights[i * modalities + m],
                                weights[i][m],
                                1e-7,
                                "modality_weights " + i + "," + m);
                    }
                }
                float[][] y = (float[][]) result.get(output).get().getValue();
                float[] flat = new float[y.length * y[0].length];
                for (int i = 0; i < y.length; i++) {
                    System.arraycopy(y[i], 0, flat, i * y[0].length, y[0].length);
                }
                return flat;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}

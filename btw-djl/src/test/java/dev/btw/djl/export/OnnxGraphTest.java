package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.util.onnx.ONNXRef;

/** Each layer helper, run by ONNX Runtime, against the same arithmetic written out in Java. */
class OnnxGraphTest {

    @TempDir
    Path dir;

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void linearReluLayerNormGeluConvMatchJava() throws Exception {
        Random r = new Random(7);
        int batch = 3, in = 5, out = 4, kernel = 3;
        float[] x = random(r, batch * in);
        float[] w = random(r, out * in);
        float[] b = random(r, out);
        float[] gamma = random(r, out);
        float[] beta = random(r, out);
        float[] cw = random(r, kernel);
        float[] cb = {0.3f};

        OnnxGraph g = new OnnxGraph();
        ONNXRef<?> input = g.input("x", in);
        ONNXRef<?> h = g.linear(input, "proj", w, b, out, in);
        h = g.op(OnnxOp.RELU, h);
        h = g.layerNorm(h, "ln", gamma, beta, 1e-5f);
        h = g.gelu(h);
        ONNXRef<?> c = g.squeeze(g.conv1d(g.unsqueeze(h, 1), "conv", cw, cb, 1, 1, kernel, 1), 1);
        g.output(c, "y", out);
        Path file = dir.resolve("m.onnx");
        new OnnxModelFile(g, "test").optMetadata("btw.task", "regression").write(file);

        float[][] expected = new float[batch][out];
        for (int n = 0; n < batch; n++) {
            double[] v = new double[out];
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += w[o * in + i] * x[n * in + i];
                }
                v[o] = Math.max(0, s);
            }
            double mean = 0, var = 0;
            for (double d : v) {
                mean += d / out;
            }
            for (double d : v) {
                var += (d - mean) * (d - mean) / out;
            }
            for (int o = 0; o < out; o++) {
                double ln = (v[o] - mean) / Math.sqrt(var + 1e-5) * gamma[o] + beta[o];
                v[o] = 0.5 * ln * (1 + erf(ln / Math.sqrt(2)));
            }
            for (int o = 0; o < out; o++) {
                double s = cb[0];
                for (int k = 0; k < kernel; k++) {
                    int j = o + k - 1;
                    if (j >= 0 && j < out) {
                        s += cw[k] * v[j];
                    }
                }
                expected[n][o] = (float) s;
            }
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, in});
                OrtSession.Result result = session.run(Map.of("x", t))) {
            float[][] y = (float[][]) result.get(0).getValue();
            for (int n = 0; n < batch; n++) {
                assertArrayEquals(expected[n], y[n], 1e-4f);
            }
            assertEquals("regression", session.getMetadata().getCustomMetadata().get("btw.task"));
        }
    }

    /** erf from the Chebyshev fit of Numerical Recipes (erfc), fractional error below 1.2e-7. */
    private static double erf(double z) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(z));
        double ans = 1
                - t
                        * Math.exp(
                                -z * z
                                        - 1.26551223
                                        + t
                                                * (1.00002368
                                                        + t
                                                                * (0.37409196
                                                                        + t
                                                                                * (0.09678418
                                                                                        + t
                                                                                                * (-0.18628806
                                                                                                        + t
                                                                                                                * (0.27886807
                                                                                                                        + t
                                                                                                                                * (-1.13520398
                                                                                                                                        + t
                                                                                                                                                * (1.48851587
                                                                                                                                                        + t
                                                                                                                                                                * (-0.82215223
                                                                                                                                                                        + t
                                                                                                                                                                                * 0.17087277)))))))));
        return z >= 0 ? ans : -ans;
    }
}

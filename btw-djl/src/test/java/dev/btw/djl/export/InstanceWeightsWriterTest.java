package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.math.Softmax;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.WeightScale;
import dev.btw.djl.training.InstancePolicySettings;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The instance weights the graph computes from raw model outputs equal btw-core's {@code LabelFreeWeights} on the
 * same outputs (taken to double as training does), for every rule and scale, both tasks, with missing modalities,
 * instances missing every modality, references that agree with the fused model (floored divergences) and a zero
 * share; and each rule's ONNX form equals its Java form, {@link CombinationRule#combine}, on its own.
 */
class InstanceWeightsWriterTest {

    private static final int N = 400;
    private static final int M = 3;
    private static final int C = 4;

    /** Every rule of {@link CombinationRule#values()} on both tasks, the scales alternating. */
    static Stream<Arguments> everyRuleAndTask() {
        List<Arguments> cases = new ArrayList<>();
        for (Task task : Task.values()) {
            for (CombinationRule rule : CombinationRule.values()) {
                String scale = (rule.ordinal() + task.ordinal()) % 2 == 0 ? "sum-to-one" : "mean-one";
                cases.add(Arguments.of(task, rule.toString(), scale));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("everyRuleAndTask")
    void graphWeightsEqualLabelFreeWeights(Task task, String rule, String scale) throws Exception {
        Engine.getEngine("OnnxRuntime");
        Random random = new Random(rule.hashCode() * 31L + scale.hashCode() + task.ordinal());
        List<String> names = List.of("a", "b", "c");
        int out = task == Task.REGRESSION ? 1 : C;
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("a", 0.6);
        shares.put("b", 0.0);
        shares.put("c", 0.25);
        InstancePolicySettings settings = new InstancePolicySettings(
                CombinationRule.parse(rule),
                WeightScale.parse(scale),
                shares,
                task == Task.REGRESSION ? new GlobalSigmas(Map.of("a", 0.4, "b", 1.3, "c", 0.0), 0.7) : null,
                task == Task.REGRESSION ? 0.01 : Double.NaN);
        Standardisation fusedScale = new Standardisation(new double[] {2.5}, new double[] {1.7});
        Map<String, Standardisation> refScales = new LinkedHashMap<>();
        for (int j = 0; j < M; j++) {
            refScales.put(
                    names.get(j), new Standardisation(new double[] {2.5 + 0.1 * j}, new double[] {1.6 + 0.2 * j}));
        }
        float[][] fused = new float[N][out];
        float[][][] refs = new float[M][N][out];
        float[][] present = new float[M][N];
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < out; c++) {
                fused[i][c] = (float) random.nextGaussian();
            }
            for (int j = 0; j < M; j++) {
                present[j][i] = i % 9 == j || i % 50 == 7 ? 0f : 1f;
                for (int c = 0; c < out; c++) {
                    // every seventh reference agrees with the fused model, so its divergence is floored
                    refs[j][i][c] = i % 7 == 0 && task == Task.CLASSIFICATION
                            ? fused[i][c]
                            : (float) (random.nextGaussian() * (1 + j));
                }
            }
        }

        OnnxGraph g = new OnnxGraph();
        List<ONNXRef<?>> presentIn = new ArrayList<>();
        List<ONNXRef<?>> refIn = new ArrayList<>();
        for (String name : names) {
            presentIn.add(g.input("present_" + name, 1));
            refIn.add(g.input("reference_" + name, out));
        }
        ONNXRef<?> fusedIn = g.input("fused", out);
        g.output(
                new InstanceWeightsWriter(g, task, settings)
                        .weights(names, presentIn, refIn, refScales, fusedIn, fusedScale),
                "weights",
                M);
        float[][] actual = run(g, names, present, refs, fused);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ids.add("i" + i);
        }
        ModalityWeights expected;
        if (task == Task.REGRESSION) {
            Map<String, double[]> uni = new LinkedHashMap<>();
            for (int j = 0; j < M; j++) {
                Standardisation s = refScales.get(names.get(j));
                double[] v = new double[N];
                for (int i = 0; i < N; i++) {
                    v[i] = present[j][i] == 0f ? Double.NaN : refs[j][i][0] * s.std()[0] + s.mean()[0];
                }
                uni.put(names.get(j), v);
            }
            double[] q = new double[N];
            for (int i = 0; i < N; i++) {
                q[i] = fused[i][0] * fusedScale.std()[0] + fusedScale.mean()[0];
            }
            expected = settings.labelFreeWeights().regression(ids, uni, q);
        } else {
            Map<String, double[][]> uni = new LinkedHashMap<>();
            for (int j = 0; j < M; j++) {
                double[][] p = new double[N][];
                for (int i = 0; i < N; i++) {
                    p[i] = present[j][i] == 0f ? new double[] {Double.NaN} : Softmax.of(refs[j][i]);
                }
                uni.put(names.get(j), p);
            }
            double[][] q = new double[N][];
            for (int i = 0; i < N; i++) {
                q[i] = Softmax.of(fused[i]);
            }
            expected = settings.labelFreeWeights().classification(ids, uni, q);
        }
        double worst = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                double e = (float) expected.get(ids.get(i), names.get(j));
                worst = Math.max(worst, Math.abs(e - actual[i][j]) / Math.max(1, Math.abs(e)));
            }
        }
        assertTrue(worst < 1e-6, "largest relative difference " + worst);
    }

    @ParameterizedTest
    @EnumSource(CombinationRule.class)
    void ruleOnnxFormEqualsCombine(CombinationRule rule) throws Exception {
        Engine.getEngine("OnnxRuntime");
        Random random = new Random(rule.ordinal() + 7L);
        float[][] k = new float[N][1];
        float[][] mu = new float[N][1];
        float[][] ones = new float[N][1];
        for (int i = 0; i < N; i++) {
            k[i][0] = i == 0 ? 0f : i == 1 ? 1f : random.nextFloat();
            mu[i][0] = i == 2 ? 0f : i == 3 ? 1f : random.nextFloat();
            ones[i][0] = 1f;
        }
        OnnxGraph g = new OnnxGraph();
        ONNXRef<?> kIn = g.cast(g.input("k", 1), DataType.DOUBLE);
        ONNXRef<?> muIn = g.cast(g.input("mu", 1), DataType.DOUBLE);
        ONNXRef<?> present = g.cast(g.input("present", 1), DataType.DOUBLE);
        ONNXRef<?> f = InstanceWeightsWriter.combine(g, rule, rule.usesDivergence() ? kIn : null, muIn);
        g.output(g.cast(g.op(OnnxOp.MUL, f, present), DataType.FLOAT), "f", 1);
        float[][] actual;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        byte[] model = new OnnxModelFile(g, "combine").build().toByteArray();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            feed.put("k", tensor(env, k));
            feed.put("mu", tensor(env, mu));
            feed.put("present", tensor(env, ones));
            try (OrtSession.Result result = session.run(feed)) {
                actual = (float[][]) result.get("f").get().getValue();
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        for (int i = 0; i < N; i++) {
            float expected = (float) rule.combine(k[i][0], mu[i][0]);
            assertEquals(expected, actual[i][0], 1e-6f * Math.max(1f, Math.abs(expected)), rule + ", row " + i);
        }
    }

    private static float[][] run(OnnxGraph g, List<String> names, float[][] present, float[][][] refs, float[][] fused)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        byte[] model = new OnnxModelFile(g, "instance_weights").build().toByteArray();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (int j = 0; j < names.size(); j++) {
                feed.put("present_" + names.get(j), tensor(env, column(present[j])));
                feed.put("reference_" + names.get(j), tensor(env, refs[j]));
            }
            feed.put("fused", tensor(env, fused));
            try (OrtSession.Result result = session.run(feed)) {
                return (float[][]) result.get("weights").get().getValue();
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] column(float[] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new float[] {v[i]};
        }
        return out;
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[][] rows) throws Exception {
        int w = rows[0].length;
        float[] flat = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * w, w);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {rows.length, w});
    }
}

package dev.btw.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.btw.core.config.GatingKind;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MoeFusionBlockTest {

    private static MoeFusionSpec spec(int outputs, GatingKind gating, float dropout) {
        return MoeFusionSpec.builder()
                .addModality("a", 5)
                .addModality("b", 2)
                .addModality("c", 7)
                .setOutputs(outputs)
                .optHidden(16)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(24)
                .optFfHidden(20)
                .optHeadHidden(12)
                .optGating(gating)
                .optDropout(dropout)
                .optLoadBalance(0.01f)
                .build();
    }

    private static NDList inputs(NDManager m, MoeFusionSpec spec, int batch, long seed) {
        Random r = new Random(seed);
        NDList in = new NDList();
        for (String name : spec.modalityNames()) {
            int d = spec.inputDim(name);
            float[] v = new float[batch * d];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            in.add(m.create(v, new Shape(batch, d)));
        }
        in.add(m.ones(new Shape(batch, spec.modalityCount())).mul(0.5f));
        in.add(m.ones(new Shape(batch, spec.modalityCount())));
        return in;
    }

    private static MoeFusionBlock block(NDManager m, MoeFusionSpec spec) {
        Engine.getInstance().setRandomSeed(7);
        MoeFusionBlock b = new MoeFusionBlock(spec);
        b.initialize(m);
        return b;
    }

    @Test
    void shapesForRegressionClassificationAndOneModality() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (GatingKind g : GatingKind.values()) {
                MoeFusionSpec s = spec(3, g, 0.1f);
                NDList out = block(m, s).forward(new ParameterStore(m, false), inputs(m, s, 6, 1), true);
                assertEquals(new Shape(6, 3), out.get(0).getShape());
                assertEquals(new Shape(), out.get(1).getShape());
                assertTrue(out.get(1).getFloat() >= 0f);
            }
            MoeFusionSpec uni = spec(1, GatingKind.LAPLACE, 0.1f).restrictTo("b");
            NDList out = block(m, uni).forward(new ParameterStore(m, false), inputs(m, uni, 5, 2), false);
            assertEquals(new Shape(5, 1), out.get(0).getShape());
            assertEquals(0f, out.get(1).getFloat());
        }
    }

    @Test
    void weightsReceiveNoGradientButParametersDo() {
        try (NDManager m = NDManager.newBaseManager()) {
            MoeFusionSpec s = spec(1, GatingKind.LAPLACE, 0f);
            MoeFusionBlock b = block(m, s);
            NDList in = inputs(m, s, 8, 3);
            NDArray w = in.get(s.modalityCount());
            w.setRequiresGradient(true);
            NDArray x0 = in.get(0);
            x0.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = b.forward(new ParameterStore(m, false), in, true);
                gc.backward(out.get(0).square().sum().add(out.get(1)));
            }
            assertEquals(0f, w.getGradient().abs().sum().getFloat(), "weights must be constants");
            assertTrue(x0.getGradient().abs().sum().getFloat() > 0f);
            float paramGrad = 0f;
            for (var p : b.getParameters().values()) {
                paramGrad += p.getArray().getGradient().abs().sum().getFloat();
            }
            assertTrue(paramGrad > 0f);
        }
    }

    @Test
    void gatingNoiseOnlyInTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            MoeFusionSpec s = spec(1, GatingKind.LAPLACE, 0f);
            MoeFusionBlock b = block(m, s);
            TrainingNoise noise = new TrainingNoise();
            b.setTrainingNoise(noise);
            NDList in = inputs(m, s, 16, 4);
            ParameterStore ps = new ParameterStore(m, false);
            noise.reseed(1);
            float[] e1 = b.forward(ps, in, false).get(0).toFloatArray();
            noise.reseed(2);
            float[] e2 = b.forward(ps, in, false).get(0).toFloatArray();
            assertArrayEquals(e1, e2, "evaluation is deterministic");
            noise.reseed(1);
            float[] t1 = b.forward(ps, in, true).get(0).toFloatArray();
            noise.reseed(1);
            float[] t1again = b.forward(ps, in, true).get(0).toFloatArray();
            noise.reseed(2);
            float[] t2 = b.forward(ps, in, true).get(0).toFloatArray();
            assertArrayEquals(t1, t1again, "one seed, one noise draw");
            assertFalse(Arrays.equals(t1, t2), "training adds gating noise");

            MoeFusionSpec quiet = s.toBuilder().optNoisyGating(false).build();
            MoeFusionBlock q = block(m, quiet);
            q.setTrainingNoise(noise);
            noise.reseed(1);
            float[] q1 = q.forward(ps, in, true).get(0).toFloatArray();
            noise.reseed(2);
            float[] q2 = q.forward(ps, in, true).get(0).toFloatArray();
            assertArrayEquals(q1, q2, "noisy_gating=false: training is noise-free too");
        }
    }

    @Test
    void evaluationExpertLoopMatchesTheTrainingDispatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            MoeFusionSpec s = spec(2, GatingKind.LAPLACE, 0f).toBuilder()
                    .optNoisyGating(false)
                    .optLoadBalance(0f)
                    .build();
            MoeFusionBlock b = block(m, s);
            NDList in = inputs(m, s, 9, 6);
            ParameterStore ps = new ParameterStore(m, false);
            float[] padded = b.forward(ps, in, true).get(0).toFloatArray();
            float[] loop = b.forward(ps, in, false).get(0).toFloatArray();
            assertArrayEquals(padded, loop, 1e-5f);
        }
    }

    @Test
    void missingModalityDoesNotReachThePrediction() {
        try (NDManager m = NDManager.newBaseManager()) {
            MoeFusionSpec s = spec(2, GatingKind.SOFTMAX, 0f);
            MoeFusionBlock b = block(m, s);
            NDList in = inputs(m, s, 4, 5);
            float[] mask = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
            in.set(4, m.create(mask, new Shape(4, 3)));
            ParameterStore ps = new ParameterStore(m, false);
            float[] p1 = b.forward(ps, in, false).get(0).toFloatArray();
            NDList changed = new NDList(in.get(0), in.get(1).mul(100f), in.get(2), in.get(3), in.get(4));
            float[] p2 = b.forward(ps, changed, false).get(0).toFloatArray();
            assertEquals(p1[0], p2[0], 1e-6f, "instance 0 lacks modality b");
            assertEquals(p1[1], p2[1], 1e-6f);
            assertTrue(Math.abs(p1[2] - p2[2]) > 1e-6f, "instance 1 has modality b");
        }
    }

    @Test
    void parameterNamesAreStable() {
        MoeFusionSpec s = MoeFusionSpec.builder()
                .addModality("text", 3)
                .addModality("audio", 2)
                .setOutputs(1)
                .optLayers(1)
                .build();
        List<String> names = new MoeFusionBlock(s).getParameters().keys();
        List<String> expected = List.of(
                "01projection_text_in_weight",
                "01projection_text_in_bias",
                "01projection_text_out_weight",
                "01projection_text_out_bias",
                "02projection_audio_in_weight",
                "02projection_audio_in_bias",
                "02projection_audio_out_weight",
                "02projection_audio_out_bias",
                "03layer0_01mixing_conv3_weight",
                "03layer0_01mixing_conv3_bias",
                "03layer0_01mixing_conv1_weight",
                "03layer0_01mixing_conv1_bias",
                "03layer0_01mixing_norm_gamma",
                "03layer0_01mixing_norm_beta",
                "03layer0_02moe_expert_w1",
                "03layer0_02moe_expert_b1",
                "03layer0_02moe_expert_w2",
                "03layer0_02moe_expert_b2",
                "03layer0_02moe_01gate_noise_weight",
                "03layer0_02moe_01gate_centres",
                "03layer0_03feed_forward_norm_gamma",
                "03layer0_03feed_forward_norm_beta",
                "03layer0_03feed_forward_in_weight",
                "03layer0_03feed_forward_in_bias",
                "03layer0_03feed_forward_out_weight",
                "03layer0_03feed_forward_out_bias",
                "final_norm_gamma",
                "final_norm_beta",
                "04head_in_weight",
                "04head_in_bias",
                "04head_mid_weight",
                "04head_mid_bias",
                "04head_out_weight",
                "04head_out_bias");
        assertEquals(
                expected.stream().sorted().collect(Collectors.toList()),
                names.stream().sorted().collect(Collectors.toList()),
                String.join("\n", names));
    }
}

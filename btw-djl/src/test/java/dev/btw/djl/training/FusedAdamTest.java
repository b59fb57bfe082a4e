package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both of FusedAdam's kernels (libtorch's fused Adam through the TorchScript step, and DJL's per-parameter Adam)
 * against Adam written out in double precision from torch's definition ({@code clip_grad_norm_} then
 * {@code torch.optim.Adam} with L2 weight decay), to 1e-6 after six steps at lr 1e-2, three of them clipped: a kernel
 * that dropped the bias correction, decoupled the weight decay (AdamW), clipped per parameter or after the decay
 * would be off by 1e-4 or more. And its state saved after three steps and loaded into a new optimiser
 * continues bit for bit as the uninterrupted one.
 */
class FusedAdamTest {

    private static final double LR = 1e-2;
    private static final double WD = 1e-2;
    private static final double CLIP = 2.0;
    private static final int STEPS = 6;
    private static final int[] SIZES = {7, 12, 3};

    private static double[][] reference(double[][] w0, double[][][] grads) {
        double[][] w = new double[w0.length][];
        double[][] m = new double[w0.length][];
        double[][] v = new double[w0.length][];
        for (int p = 0; p < w0.length; p++) {
            w[p] = w0[p].clone();
            m[p] = new double[w0[p].length];
            v[p] = new double[w0[p].length];
        }
        for (int t = 1; t <= grads.length; t++) {
            double sq = 0;
            for (double[] g : grads[t - 1]) {
                for (double x : g) {
                    sq += x * x;
                }
            }
            double coef = Math.min(1.0, CLIP / (Math.sqrt(sq) + 1e-6));
            for (int p = 0; p < w.length; p++) {
                for (int i = 0; i < w[p].length; i++) {
                    double g = grads[t - 1][p][i] * coef + WD * w[p][i];
                    m[p][i] = 0.9 * m[p][i] + 0.1 * g;
                    v[p][i] = 0.999 * v[p][i] + 0.001 * g * g;
                    double mHat = m[p][i] / (1 - Math.pow(0.9, t));
                    double denom = Math.sqrt(v[p][i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                    w[p][i] -= LR * mHat / denom;
                }
            }
        }
        return w;
    }

    private static PairList<String, Parameter> parameters(NDManager manager, double[][] w0) {
        PairList<String, Parameter> params = new PairList<>();
        for (int p = 0; p < w0.length; p++) {
            Parameter param = Parameter.builder()
                    .setName("p" + p)
                    .setType(Parameter.Type.WEIGHT)
                    .build();
            param.setArray(manager.create(toFloat(w0[p])));
            param.getArray().setRequiresGradient(true);
            params.add("p" + p, param);
        }
        return params;
    }

    private static FusedAdam optimiser(PairList<String, Parameter> params) {
        return FusedAdam.builder()
                .setParameters(params)
                .optLearningRateTracker(Tracker.fixed((float) LR))
                .optWeightDecays((float) WD)
                .optClipGradNorm((float) CLIP)
                .build();
    }

    /** One step as DJL's Trainer runs it: backward, then update(id, weight, copy of the gradient) per parameter. */
    private static void step(NDManager manager, PairList<String, Parameter> params, FusedAdam opt, double[][] g) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = null;
            for (int p = 0; p < params.size(); p++) {
                NDArray term = params.get(p)
                        .getValue()
                        .getArray()
                        .mul(manager.create(toFloat(g[p])))
                        .sum();
                loss = loss == null ? term : loss.add(term); // d loss / d w_p = g_p
            }
            gc.backward(loss);
        }
        for (int p = 0; p < params.size(); p++) {
            Parameter param = params.get(p).getValue();
            try (NDArray grad = param.getArray().getGradient().duplicate()) {
                opt.update(param.getId(), param.getArray(), grad);
            }
        }
    }

    private static double[][] values(PairList<String, Parameter> params) {
        double[][] out = new double[params.size()][];
        for (int p = 0; p < params.size(); p++) {
            float[] f = params.get(p).getValue().getArray().toFloatArray();
            out[p] = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[p][i] = f[i];
            }
        }
        return out;
    }

    private static double[][] runKernel(boolean fused, double[][] w0, double[][][] grads) {
        if (!fused) {
            System.setProperty(FusedAdam.FUSED_PROPERTY, "false");
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PairList<String, Parameter> params = parameters(manager, w0);
            FusedAdam opt = optimiser(params);
            for (double[][] g : grads) {
                step(manager, params, opt, g);
            }
            assertEquals(fused, opt.isFused());
            return values(params);
        } finally {
            System.clearProperty(FusedAdam.FUSED_PROPERTY);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[][] start(Random r) {
        double[][] w0 = new double[SIZES.length][];
        for (int p = 0; p < SIZES.length; p++) {
            w0[p] = new double[SIZES[p]];
            for (int i = 0; i < SIZES[p]; i++) {
                w0[p][i] = (float) r.nextGaussian(); // representable in float32, as the kernels start
            }
        }
        return w0;
    }

    private static double[][][] gradients(Random r) {
        double[][][] grads = new double[STEPS][SIZES.length][];
        for (int t = 0; t < STEPS; t++) {
            // steps 0, 2, 4: a global norm far above CLIP (clipped); the others below it
            double scale = t % 2 == 0 ? 3.0 : 0.2;
            for (int p = 0; p < SIZES.length; p++) {
                grads[t][p] = new double[SIZES[p]];
                for (int i = 0; i < SIZES[p]; i++) {
                    double g = scale * r.nextGaussian();
                    grads[t][p][i] = (float) (Math.abs(g) < 1e-3 ? Math.copySign(1e-3, g) : g);
                }
            }
        }
        return grads;
    }

    @Test
    void bothKernelsMatchDoublePrecisionAdam() {
        Random r = new Random(42);
        double[][] w0 = start(r);
        double[][][] grads = gradients(r);
        double[][] expected = reference(w0, grads);
        for (boolean fused : new boolean[] {true, false}) {
            double[][] got = runKernel(fused, w0, grads);
            double worst = 0;
            double moved = 0;
            for (int p = 0; p < w0.length; p++) {
                for (int i = 0; i < w0[p].length; i++) {
                    worst = Math.max(worst, Math.abs(got[p][i] - expected[p][i]));
                    moved = Math.max(moved, Math.abs(expected[p][i] - w0[p][i]));
                }
            }
            assertTrue(moved > 0.03, "the steps move the weights: " + moved);
            assertTrue(worst < 1e-6, (fused ? "fused" : "per-parameter") + " kernel differs by " + worst);
        }
    }

    @Test
    void savedStateContinuesBitForBit() throws Exception {
        Random r = new Random(7);
        double[][] w0 = start(r);
        double[][][] grads = gradients(r);
        double[][] straight;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PairList<String, Parameter> params = parameters(manager, w0);
            FusedAdam opt = optimiser(params);
            for (double[][] g : grads) {
                step(manager, params, opt, g);
            }
            straight = values(params);
        }
        byte[] state;
        double[][] half;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PairList<String, Parameter> params = parameters(manager, w0);
            FusedAdam opt = optimiser(params);
            for (int t = 0; t < STEPS / 2; t++) {
                step(manager, params, opt, grads[t]);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                opt.save(out);
            }
            state = bytes.toByteArray();
            half = values(params);
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PairList<String, Parameter> params = parameters(manager, half);
            FusedAdam opt = optimiser(params);
            opt.load(new DataInputStream(new ByteArrayInputStream(state)), params);
            for (int t = STEPS / 2; t < STEPS; t++) {
                step(manager, params, opt, grads[t]);
            }
            double[][] resumed = values(params);
            for (int p = 0; p < straight.length; p++) {
                assertArrayEquals(straight[p], resumed[p], 0.0, "parameter " + p);
            }
        }
    }
}

package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both of FusionAdam's kernels (the fused TorchScript step and DJL's per-parameter Adam) against Adam written out
 * in double precision from torch's definition ({@code clip_grad_norm_} then {@code torch.optim.Adam} with L2 weight
 * decay), to 1e-6 after six steps at lr 1e-2: a kernel that dropped the bias correction, decoupled the weight decay
 * (AdamW), clipped per parameter or after the decay would be off by 1e-4 or more.
 */
class FusionAdamReferenceTest {

    private static final double LR = 1e-2;
    private static final double WD = 1e-2;
    private static final double CLIP = 2.0;
    private static final int STEPS = 6;

    /** Adam in double precision: clip by the global norm, add wd * w, moments, bias correction, update. */
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

    private static double[][] runKernel(boolean fused, double[][] w0, double[][][] grads) {
        if (!fused) {
            System.setProperty(FusionAdam.FUSED_PROPERTY, "false");
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
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
            FusionAdam opt = new FusionAdam(params, (float) LR, (float) WD, (float) CLIP);
            assertEquals(fused, opt.isFused());
            for (double[][] g : grads) {
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = null;
                    for (int p = 0; p < w0.length; p++) {
                        NDArray term = params.get(p)
                                .getValue()
                                .getArray()
                                .mul(manager.create(toFloat(g[p])))
                                .sum();
                        loss = loss == null ? term : loss.add(term); // d loss / d w_p = g_p
                    }
                    gc.backward(loss);
                }
                opt.step();
            }
            double[][] out = new double[w0.length][];
            for (int p = 0; p < w0.length; p++) {
                float[] f = params.get(p).getValue().getArray().toFloatArray();
                out[p] = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    out[p][i] = f[i];
                }
            }
            return out;
        } finally {
            System.clearProperty(FusionAdam.FUSED_PROPERTY);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void bothKernelsMatchDoublePrecisionAdam() {
        Random r = new Random(42);
        int[] sizes = {7, 12, 3};
        double[][] w0 = new double[sizes.length][];
        for (int p = 0; p < sizes.length; p++) {
            w0[p] = new double[sizes[p]];
            for (int i = 0; i < sizes[p]; i++) {
                w0[p][i] = (float) r.nextGaussian(); // representable in float32, as the kernels start
            }
        }
        double[][][] grads = new double[STEPS][sizes.length][];
        for (int t = 0; t < STEPS; t++) {
            // steps 0, 2, 4: a global norm far above CLIP (clipped); the others below it; magnitudes from 1e-3 up
            double scale = t % 2 == 0 ? 3.0 : 0.2;
            for (int p = 0; p < sizes.length; p++) {
                grads[t][p] = new double[sizes[p]];
                for (int i = 0; i < sizes[p]; i++) {
                    double g = scale * r.nextGaussian();
                    grads[t][p][i] = (float) (Math.abs(g) < 1e-3 ? Math.copySign(1e-3, g) : g);
                }
            }
        }
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
            System.out.printf(
                    "FusionAdam %s kernel vs double-precision Adam: max |diff| %.2e (largest move %.2e)%n",
                    fused ? "fused" : "per-parameter", worst, moved);
            assertTrue(moved > 0.03, "the steps move the weights: " + moved);
            assertTrue(worst < 1e-6, (fused ? "fused" : "per-parameter") + " kernel differs by " + worst);
        }
    }
}

package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.btw.core.Task;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.SplitData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training on the device {@code -Dbtw.test.device} names ({@code auto} when unset: the CPU on a machine without a
 * GPU, GPU 0 with a CUDA build on a GPU machine; {@code scripts/gpu/check.sh} sets {@code gpu}, so that a missing
 * GPU fails instead of falling back): every parameter and optimiser state array lives on that device, and the
 * result agrees with the same steps on the CPU from the same starting values.
 */
class FusionModelDeviceTest {

    /** The demo's model sizes (DemoCommand.settings) on the av-mnist widths: image 20, audio 96, noise 16. */
    private static final MoeFusionSpec SPEC = MoeFusionSpec.builder()
            .addModality("image", 20)
            .addModality("audio", 96)
            .addModality("noise", 16)
            .setOutputs(10)
            .optHidden(64)
            .optLayers(2)
            .optExperts(8)
            .optTopK(2)
            .optExpertHidden(128)
            .optFfHidden(128)
            .optHeadHidden(64)
            .build();

    private static Device device() {
        return DeviceChoice.resolve("btw.test.device", System.getProperty("btw.test.device", "auto"), "PyTorch");
    }

    /** Ten classes, some instances missing a modality (the routing then sees zeros in the presence mask). */
    private static SplitData data(int n, long seed) {
        Random r = new Random(seed);
        Map<String, Integer> dims = new LinkedHashMap<>(SPEC.inputDims());
        Map<String, float[]> feats = new LinkedHashMap<>();
        Map<String, boolean[]> present = new LinkedHashMap<>();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        int k = 0;
        for (Map.Entry<String, Integer> e : dims.entrySet()) {
            int d = e.getValue();
            float[] f = new float[n * d];
            boolean[] p = new boolean[n];
            for (int i = 0; i < n; i++) {
                p[i] = (i + k) % 5 != 0;
                for (int j = 0; j < d; j++) {
                    f[i * d + j] = p[i] ? (float) (r.nextGaussian() + (j == (int) y[i] ? 2 : 0)) : 0f;
                }
            }
            feats.put(e.getKey(), f);
            present.put(e.getKey(), p);
            k++;
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
        }
        return new SplitData(ids, dims, feats, present, y);
    }

    private static double[][] weights(int n) {
        double[][] w = new double[n][SPEC.modalityCount()];
        for (double[] row : w) {
            Arrays.fill(row, 1.0 / SPEC.modalityCount());
        }
        return w;
    }

    private static float[] train(FusionModel model, SplitData d, int steps) {
        int[][] rows = new int[steps][32];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < 32; i++) {
                rows[s][i] = (s * 32 + i) % d.size();
            }
        }
        return TrainerSteps.train(model, d, weights(d.size()), rows, 1e-3f, 1e-4f, 0.8f, 1000);
    }

    private static float[] flat(FusionModel m) {
        List<float[]> parts = new ArrayList<>();
        int size = 0;
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            parts.add(v);
            size += v.length;
        }
        float[] out = new float[size];
        int at = 0;
        for (float[] v : parts) {
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    private static byte[] parameters(FusionModel m) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        m.saveParameters(out);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void parametersAndOptimiserStateStayOnTheDeviceAndAgreeWithTheCpu() throws Exception {
        Device device = device();
        SplitData d = data(160, 3);
        byte[] start;
        float[] onDevice;
        float[] lossesOnDevice;
        float[][] predictedOnDevice;
        try (FusionModel m = new FusionModel(SPEC, Task.CLASSIFICATION, device, 11)) {
            start = parameters(m);
            lossesOnDevice = train(m, d, 6);
            for (Pair<String, Parameter> p : m.block().getParameters()) {
                assertEquals(device, p.getValue().getArray().getDevice(), p.getKey());
            }
            onDevice = flat(m);
            predictedOnDevice = m.predict(d, weights(d.size()), 64);
        }
        for (float v : onDevice) {
            assertTrue(Float.isFinite(v));
        }

        try (FusionModel m = new FusionModel(SPEC, Task.CLASSIFICATION, Device.cpu(), 99)) {
            m.loadParameters(new DataInputStream(new ByteArrayInputStream(start)));
            float[] lossesOnCpu = train(m, d, 6);
            float[][] predictedOnCpu = m.predict(d, weights(d.size()), 64);
            // the CPU repeats itself bit for bit; a GPU's kernels (and atomic adds in the backward pass of the
            // routing's gathers) differ in the last digits
            float tolerance = device.isGpu() ? 2e-3f : 0f;
            assertArrayEquals(lossesOnCpu, lossesOnDevice, tolerance * 10);
            assertArrayEquals(flat(m), onDevice, tolerance);
            for (int i = 0; i < predictedOnCpu.length; i++) {
                assertArrayEquals(predictedOnCpu[i], predictedOnDevice[i], tolerance * 10, "row " + i);
            }
        }
    }

    /** The host copy of the presence mask that FusionModel hands the block gives what the mask input gives. */
    @Test
    void hostPresenceEqualsTheMaskInput() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(5);
            MoeFusionBlock block = new MoeFusionBlock(SPEC);
            block.initialize(m);
            int b = 6;
            int mods = SPEC.modalityCount();
            Random r = new Random(1);
            NDList in = new NDList();
            for (String name : SPEC.modalityNames()) {
                float[] v = new float[b * SPEC.inputDim(name)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                in.add(m.create(v, new Shape(b, SPEC.inputDim(name))));
            }
            float[] mask = new float[b * mods];
            float[] hostPresence = new float[mods * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < mods; j++) {
                    float p = (i + j) % 3 == 0 ? 0f : 1f;
                    mask[i * mods + j] = p;
                    hostPresence[j * b + i] = p;
                }
            }
            in.add(m.ones(new Shape(b, mods)));
            in.add(m.create(mask, new Shape(b, mods)));
            ParameterStore ps = new ParameterStore(m, false);
            float[] fromMask = block.forward(ps, in, false).get(0).toFloatArray();
            PairList<String, Object> params = new PairList<>();
            params.add(MoeFusionBlock.HOST_PRESENCE, hostPresence);
            assertArrayEquals(
                    fromMask, block.forward(ps, in, false, params).get(0).toFloatArray(), 0f);
            PairList<String, Object> wrong = new PairList<>();
            wrong.add(MoeFusionBlock.HOST_PRESENCE, new float[3]);
            assertThrows(IllegalArgumentException.class, () -> block.forward(ps, in, false, wrong));
        }
    }
}

package dev.btw.djl.encoder;

import dev.btw.djl.encoder.spec.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies a spec's {@link Pooling} to a batched model output, on plain arrays (ONNX Runtime arrays support few
 * operations, and a copy to another engine would cost more than these loops).
 */
final class OutputPooling {

    private OutputPooling() {}

    /**
     * @param out the output, batch first
     * @param pooling the pooling
     * @param batch the batch size
     * @return one vector per instance
     */
    static List<float[]> pool(FloatTensor out, Pooling pooling, int batch) {
        float[] d = out.data();
        int per = d.length / batch;
        List<float[]> result = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            switch (pooling.type()) {
                case "none" -> result.add(Arrays.copyOfRange(d, b * per, (b + 1) * per));
                case "cls", "mean" -> {
                    int width = out.dim(out.shape().length - 1);
                    int steps = per / width;
                    float[] v = new float[width];
                    if (pooling.type().equals("cls")) {
                        System.arraycopy(d, b * per, v, 0, width);
                    } else {
                        for (int t = 0; t < steps; t++) {
                            for (int j = 0; j < width; j++) {
                                v[j] += d[b * per + t * width + j];
                            }
                        }
                        for (int j = 0; j < width; j++) {
                            v[j] /= steps;
                        }
                    }
                    result.add(v);
                }
                case "class-scores" ->
                    result.add(classScores(d, b * per, per, out.dim(out.shape().length - 1), pooling.classes()));
                default -> throw new IllegalArgumentException("unknown pooling " + pooling.type());
            }
        }
        return result;
    }

    /** Max over time, then mean over time, of the listed classes of a [T, C] score block. */
    private static float[] classScores(float[] d, int offset, int per, int classes, int[] picked) {
        int steps = per / classes;
        float[] v = new float[2 * picked.length];
        Arrays.fill(v, 0, picked.length, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < picked.length; k++) {
                float s = d[offset + t * classes + picked[k]];
                v[k] = Math.max(v[k], s);
                v[picked.length + k] += s / steps;
            }
        }
        return v;
    }
}

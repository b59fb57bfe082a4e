package dev.btw.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.btw.core.Task;
import dev.btw.djl.export.FusionOnnxExporter;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times the same fusion model two ways on the same inputs: the exported ONNX graph in ONNX Runtime, and the DJL
 * block in evaluation mode on the PyTorch engine. Each call includes building the input tensors from Java
 * arrays and reading the output back, as a service would.
 */
public final class InferenceBenchmark {

    /**
     * The figures of one engine.
     *
     * @param batch1MedianMs median latency of one instance, milliseconds
     * @param batch1P99Ms 99th-percentile latency of one instance, milliseconds
     * @param batch256PerSecond instances per second at batch 256
     */
    public record Figures(double batch1MedianMs, double batch1P99Ms, double batch256PerSecond) {}

    /**
     * Both engines' figures.
     *
     * @param onnxRuntime the exported graph in ONNX Runtime
     * @param djl the block in DJL's PyTorch engine
     */
    public record Result(Figures onnxRuntime, Figures djl) {}

    private final MoeFusionBlock block;
    private final Task task;
    private final Map<String, Double> weights;
    private final int latencyCalls;
    private final int throughputCalls;

    /**
     * @param block an initialised (trained or random) block
     * @param task the task
     * @param weights the inference weight per modality
     * @param latencyCalls timed batch-1 calls per engine
     * @param throughputCalls timed batch-256 calls per engine
     */
    public InferenceBenchmark(
            MoeFusionBlock block, Task task, Map<String, Double> weights, int latencyCalls, int throughputCalls) {
        this.block = block;
        this.task = task;
        this.weights = weights;
        this.latencyCalls = latencyCalls;
        this.throughputCalls = throughputCalls;
    }

    /**
     * A randomly initialised block of the given widths with the reference sizes otherwise.
     *
     * @param dims embedding width per modality
     * @param manager where its parameters live
     * @return the block
     */
    public static MoeFusionBlock randomBlock(int[] dims, NDManager manager) {
        MoeFusionSpec.Builder b = MoeFusionSpec.builder().setOutputs(1);
        for (int i = 0; i < dims.length; i++) {
            b.addModality("m" + i, dims[i]);
        }
        MoeFusionBlock block = new MoeFusionBlock(b.build());
        block.initialize(manager);
        return block;
    }

    /**
     * @param threads intra-op threads for ONNX Runtime (PyTorch's are set by the caller)
     * @return the figures
     * @throws IOException when the temporary model cannot be written
     * @throws OrtException when ONNX Runtime fails
     */
    public Result run(int threads) throws IOException, OrtException {
        MoeFusionSpec spec = block.spec();
        Path file = Files.createTempFile("btw-bench-", ".onnx");
        try {
            new FusionOnnxExporter(block).export(task, weights).write(file);
            Map<Integer, float[][]> inputs = new HashMap<>();
            Random random = new Random(1);
            for (int batch : new int[] {1, 256}) {
                float[][] x = new float[spec.modalityCount()][];
                for (int m = 0; m < x.length; m++) {
                    x[m] = new float[batch * spec.inputDim(spec.modalityNames().get(m))];
                    for (int i = 0; i < x[m].length; i++) {
                        x[m][i] = (float) random.nextGaussian();
                    }
                }
                inputs.put(batch, x);
            }
            Figures ort = onnxRuntime(file, inputs, threads);
            Figures djl = djl(inputs);
            return new Result(ort, djl);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Figures onnxRuntime(Path file, Map<Integer, float[][]> inputs, int threads)
            throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        MoeFusionSpec spec = block.spec();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), options)) {
            Call call = batch -> {
                float[][] x = inputs.get(batch);
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (int m = 0; m < x.length; m++) {
                        String name = spec.modalityNames().get(m);
                        feed.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(x[m]), new long[] {
                            batch, spec.inputDim(name)
                        }));
                    }
                    try (OrtSession.Result r = session.run(feed)) {
                        return ((float[][]) r.get(0).getValue())[0][0];
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            };
            return measure(call);
        }
    }

    private Figures djl(Map<Integer, float[][]> inputs) throws OrtException {
        MoeFusionSpec spec = block.spec();
        int m = spec.modalityCount();
        try (NDManager base = NDManager.newBaseManager(
                block.getParameters().get(0).getValue().getArray().getDevice())) {
            ParameterStore ps = new ParameterStore(base, false);
            float[] w = new float[m];
            for (int i = 0; i < m; i++) {
                w[i] = weights.get(spec.modalityNames().get(i)).floatValue();
            }
            Call call = batch -> {
                float[][] x = inputs.get(batch);
                try (NDManager step = base.newSubManager()) {
                    NDList in = new NDList();
                    for (int i = 0; i < m; i++) {
                        in.add(step.create(
                                x[i],
                                new Shape(
                                        batch,
                                        spec.inputDim(spec.modalityNames().get(i)))));
                    }
                    float[] wb = new float[batch * m];
                    float[] mask = new float[batch * m];
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(w, 0, wb, b * m, m);
                        Arrays.fill(mask, b * m, (b + 1) * m, 1f);
                    }
                    in.add(step.create(wb, new Shape(batch, m)));
                    in.add(step.create(mask, new Shape(batch, m)));
                    float[] out = block.forward(ps, in, false).get(0).toFloatArray();
                    return out[0];
                }
            };
            return measure(call);
        }
    }

    private interface Call {
        float apply(int batch) throws OrtException;
    }

    private Figures measure(Call call) throws OrtException {
        for (int i = 0; i < Math.max(20, latencyCalls / 10); i++) {
            call.apply(1);
        }
        double[] ms = new double[latencyCalls];
        for (int i = 0; i < latencyCalls; i++) {
            long t = System.nanoTime();
            call.apply(1);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        for (int i = 0; i < 3; i++) {
            call.apply(256);
        }
        long t = System.nanoTime();
        for (int i = 0; i < throughputCalls; i++) {
            call.apply(256);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        return new Figures(
                ms[ms.length / 2],
                ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)],
                256.0 * throughputCalls / seconds);
    }
}

package dev.btw.app.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.btw.core.BtwException;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.encoder.TorchScriptModels;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.model.OwnedArrays;
import dev.btw.djl.training.FusedAdam;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The TorchScript encoder of one fine-tuned modality inside a {@link FusionModel}: DJL's PyTorch engine loads the
 * model file with trainable parameters ({@link TorchScriptModels}), each forward pass runs the batch's cached image
 * tensors through it and standardises the output with the statistics the frozen vectors had (so the fusion model,
 * and an exported graph, see inputs on the same scale). It sits inside the trained block
 * ({@link FineTunedFusionBlock}), so DJL's {@code Trainer} updates its parameters with the fusion model's: the
 * {@code FusedAdam} at {@code train.lr * fine_tune_lr}, once the first {@code fine_tune_freeze_epochs} epochs are
 * over, with {@code train.weight_decay}, its gradients clipped together with the fusion model's.
 */
final class TrainableEncoder implements AutoCloseable {

    private final FineTunedModality setting;
    private final ZooModel<NDList, NDList> zoo;
    private final PtSymbolBlock block;
    private final NDArray mean;
    private final NDArray std;
    private final PairList<String, Parameter> parameters;

    TrainableEncoder(
            FineTunedModality setting, Standardisation standardisation, TrainSettings train, AssetFetcher fetcher) {
        this.setting = setting;
        this.zoo = TorchScriptModels.load(setting.spec(), fetcher, true);
        if (!(zoo.getBlock() instanceof PtSymbolBlock)) {
            zoo.close();
            throw new BtwException("encoder " + setting.spec().name() + ": not loaded as a TorchScript module");
        }
        this.block = (PtSymbolBlock) zoo.getBlock();
        this.parameters = block.getParameters();
        NDManager manager = zoo.getNDManager();
        int d = setting.spec().dimension();
        float[] mu = new float[d];
        float[] sd = new float[d];
        for (int c = 0; c < d; c++) {
            mu[c] = standardisation == null ? 0f : (float) standardisation.mean()[c];
            sd[c] = standardisation == null ? 1f : (float) standardisation.std()[c];
        }
        this.mean = manager.create(mu, new Shape(1, d));
        this.std = manager.create(sd, new Shape(1, d));
    }

    /** @return the modality */
    String modality() {
        return setting.modality();
    }

    /**
     * @param epoch an epoch (from 1)
     * @return whether the encoder trains in that epoch
     */
    boolean trains(int epoch) {
        return epoch > setting.freezeEpochs();
    }

    /**
     * The standardised vectors of a batch, zero where the modality is missing.
     *
     * @param sub the step's manager
     * @param ids the instances' ids
     * @param rows the batch's rows in {@code ids}
     * @param present presence of the modality per batch row (1 or 0)
     * @param train whether gradients reach the encoder (training mode and an epoch past the freeze)
     * @return {@code [rows, d]}
     */
    NDArray forward(NDManager sub, List<String> ids, int[] rows, float[] present, boolean train) {
        int b = rows.length;
        EncoderImages images = setting.images();
        NDArray x;
        NDArray out;
        if (images.framewise()) {
            // every frame through the image encoder, then pooled over the instance's frames (mean or max)
            EncoderImages.FrameBatch fb = images.frameBatch(ids, rows);
            long[] one = images.shape(b * fb.frames());
            x = OwnedArrays.of(sub, fb.pixels(), new Shape(one), mean.getDevice());
            NDArray frames = block.forward(new ParameterStore(sub, false), new NDList(x), train)
                    .get(0)
                    .reshape(b, fb.frames(), -1);
            NDArray m = OwnedArrays.of(sub, fb.mask(), new Shape(b, fb.frames(), 1), mean.getDevice());
            out = images.maxPool()
                    ? frames.add(m.sub(1f).mul(1e30f)).max(new int[] {1})
                    : frames.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
        } else {
            float[] pixels = images.batch(ids, rows);
            x = OwnedArrays.of(sub, pixels, new Shape(images.shape(b)), mean.getDevice());
            out = block.forward(new ParameterStore(sub, false), new NDList(x), train)
                    .get(0);
        }
        out = out.reshape(b, -1);
        int d = setting.spec().dimension();
        if (out.getShape().get(1) != d) {
            throw new BtwException("encoder " + setting.spec().name() + " (modality " + setting.modality()
                    + "): output of width " + out.getShape().get(1) + " for input " + x.getShape()
                    + ", the spec says dimension " + d);
        }
        NDArray mask = OwnedArrays.of(sub, present, new Shape(b, 1), mean.getDevice());
        NDArray z = out.sub(mean).div(std).mul(mask);
        return train ? z : z.stopGradient();
    }

    /** @return the TorchScript module, with its trainable parameters */
    PtSymbolBlock block() {
        return block;
    }

    /** @return the factor on the fusion model's learning rate ({@code fine_tune_lr}) */
    float lrMultiplier() {
        return (float) setting.lrMultiplier();
    }

    /**
     * Writes the parameters (their optimiser state is the trainer's {@code FusedAdam}'s).
     *
     * @param out where to
     * @throws IOException on failure
     */
    void save(DataOutputStream out) throws IOException {
        out.writeUTF(setting.modality());
        out.writeInt(parameters.size());
        for (Pair<String, Parameter> p : parameters) {
            out.writeUTF(p.getKey());
            FusedAdam.writeFloats(out, p.getValue().getArray().toFloatArray());
        }
    }

    /**
     * Restores what {@link #save} wrote, in place.
     *
     * @param in where from
     * @throws IOException on failure or the state of another encoder
     */
    void load(DataInputStream in) throws IOException {
        String m = in.readUTF();
        int n = in.readInt();
        if (!m.equals(setting.modality()) || n != parameters.size()) {
            throw new IOException("checkpoint holds encoder " + m + " with " + n + " parameters, expected "
                    + setting.modality() + " with " + parameters.size());
        }
        for (Pair<String, Parameter> p : parameters) {
            String name = in.readUTF();
            if (!name.equals(p.getKey())) {
                throw new IOException(
                        "checkpoint encoder parameter " + name + " where " + p.getKey() + " was expected");
            }
            NDArray a = p.getValue().getArray();
            a.set(FusedAdam.readFloats(in, a.getShape()));
        }
    }

    /** @return the spec the encoder was loaded from */
    FineTunedModality setting() {
        return setting;
    }

    /**
     * Writes the module, with its current parameters, as a TorchScript file (DJL's module writer: the same
     * format {@code torch.jit.save} writes).
     *
     * @param out where to
     */
    void writeModule(OutputStream out) {
        JniUtils.writeModule(block, out, false);
    }

    /** @return the parameters' current values, by name (tests compare them with the file's) */
    List<Pair<String, float[]>> parameterValues() {
        return parameters.stream()
                .map(p -> new Pair<>(p.getKey(), p.getValue().getArray().toFloatArray()))
                .toList();
    }

    @Override
    public void close() {
        zoo.close();
    }
}

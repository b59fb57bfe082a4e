package dev.btw.djl.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.fetch.AssetFetcher;

/**
 * A TorchScript encoder as a plain DJL model ({@link NDList} in, {@link NDList} out), for users who put the encoder
 * inside their own network: {@code model.getBlock()} is a DJL {@link ai.djl.nn.Block}. Frozen by default; with
 * {@code trainable} its parameters require gradients (DJL's {@code trainParam} option), so that a
 * {@link ai.djl.training.GradientCollector} reaches them when fine-tuning with the fusion model.
 */
public final class TorchScriptModels {

    private TorchScriptModels() {}

    /**
     * @param spec a spec with {@code engine: torchscript}
     * @param fetcher where the model file comes from
     * @param trainable whether its parameters are trainable
     * @return the loaded model; close it when done
     */
    public static ZooModel<NDList, NDList> load(EncoderSpec spec, AssetFetcher fetcher, boolean trainable) {
        return load(spec, fetcher, trainable, null);
    }

    /**
     * @param spec a spec with {@code engine: torchscript}
     * @param fetcher where the model file comes from
     * @param trainable whether its parameters are trainable
     * @param device where its parameters live (the training device when fine-tuning), or null for the CPU
     * @return the loaded model; close it when done
     */
    public static ZooModel<NDList, NDList> load(
            EncoderSpec spec, AssetFetcher fetcher, boolean trainable, Device device) {
        if (spec.engine() != Engine.TORCHSCRIPT) {
            throw new BtwException("encoder " + spec.name() + " is not a TorchScript encoder (engine " + spec.engine()
                    + "); only TorchScript encoders can be fine-tuned");
        }
        EncoderOptions options =
                trainable || spec.trainable() ? EncoderOptions.DEFAULT.withTrainable() : EncoderOptions.DEFAULT;
        options = options.withDevice(device);
        return ModelLoader.load(
                spec.name(),
                Engine.TORCHSCRIPT,
                fetcher.fetch(spec.file(EncoderSpec.MODEL)),
                NDList.class,
                NDList.class,
                new NoopTranslator(),
                options);
    }
}

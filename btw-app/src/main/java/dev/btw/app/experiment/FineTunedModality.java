package dev.btw.app.experiment;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A modality whose encoder trains with the fusion model ({@code fine_tune: true}): its TorchScript spec, its
 * images (or clips, for a clip encoder) preprocessed once, and the settings {@code fine_tune_lr} and {@code fine_tune_freeze_epochs}.
 *
 * @param modality the modality's name
 * @param spec the encoder's spec (TorchScript, image or video preprocessing, pooling {@code none})
 * @param images the modality's inputs as tensors
 * @param lrMultiplier the encoder's learning rate as a multiple of the fusion model's
 * @param freezeEpochs how many first epochs keep the encoder frozen
 */
public record FineTunedModality(
        String modality, EncoderSpec spec, EncoderImages images, double lrMultiplier, int freezeEpochs) {

    /**
     * Checks every modality with {@code fine_tune: true} and reads its images.
     *
     * @param config the config
     * @param manifest its manifest
     * @param locator where specs are found
     * @return the fine-tuned modalities, in config order (empty when none)
     * @throws BtwException when a fine-tuned encoder cannot train here: an ONNX encoder, a non-image encoder, an
     *     encoder that is neither an image nor a clip encoder, an encoder whose output needs pooling
     */
    public static Map<String, FineTunedModality> fromConfig(BtwConfig config, Manifest manifest, SpecLocator locator) {
        Map<String, FineTunedModality> out = new LinkedHashMap<>();
        for (ModalityConfig m : config.modalities().values()) {
            if (!m.fineTune()) {
                continue;
            }
            EncoderSpec spec = check(config, m, locator.find(m.encoder(), config.baseDir()));
            out.put(
                    m.name(),
                    new FineTunedModality(
                            m.name(), spec, images(m, manifest, spec), m.fineTuneLr(), m.fineTuneFreezeEpochs()));
        }
        return out;
    }

    private static EncoderImages images(ModalityConfig m, Manifest manifest, EncoderSpec spec) {
        if (spec.preprocess() instanceof VideoPreprocess clip) {
            return EncoderImages.loadClips(manifest, m.name(), m.column(), clip, m.maxSeconds());
        }
        ImagePreprocess pre = (ImagePreprocess) spec.preprocess();
        if (EncoderImages.hasFrameSequences(manifest, m.column())) {
            // a frame-wise image encoder: its frame vectors pooled over time, as the feature store's are
            return EncoderImages.loadFrames(
                    manifest,
                    m.name(),
                    m.column(),
                    pre,
                    new FrameSampling(m.frames(), m.fps(), m.maxFrames(), m.maxSeconds()),
                    "max".equals(m.timePooling()));
        }
        return EncoderImages.load(manifest, m.name(), m.column(), pre);
    }

    private static EncoderSpec check(BtwConfig config, ModalityConfig m, EncoderSpec spec) {
        String key = config.source() + ": config key 'modalities." + m.name() + ".fine_tune': ";
        if (spec.engine() != Engine.TORCHSCRIPT) {
            throw new BtwException(key + "encoder '" + spec.name() + "' is an ONNX model, and ONNX Runtime here "
                    + "runs inference only (no gradients reach its weights). Export a TorchScript version of the "
                    + "model (torch.jit.trace, then engine: torchscript and the .pt file in its spec.yaml) to "
                    + "fine-tune it, or set fine_tune: false to train on its frozen vectors");
        }
        Preprocess.Kind kind = Preprocess.kindOf(spec.preprocess());
        if (kind != Preprocess.Kind.IMAGE && kind != Preprocess.Kind.VIDEO) {
            throw new BtwException(key + "encoder '" + spec.name() + "' is neither an image nor a clip encoder; "
                    + "fine-tuning runs image encoders (one image per instance) and clip encoders (one video file "
                    + "per instance) only. Set fine_tune: false");
        }
        if (!"none".equals(spec.pooling().canonical()) || (m.pooling() != null && !"none".equals(m.pooling()))) {
            throw new BtwException(key + "encoder '" + spec.name() + "' pools its output ("
                    + spec.pooling().canonical() + "); fine-tuning needs an encoder whose output is the vector "
                    + "(pooling: none). Set fine_tune: false");
        }
        return spec;
    }
}

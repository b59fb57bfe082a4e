package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Pooling;
import dev.btw.djl.encoder.spec.VideoPreprocess;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A clip encoder: each video file becomes one clip tensor ({@link VideoPreprocess}: T sampled frames scaled by
 * FFmpeg, normalised, stacked {@code BTCHW} or {@code BCTHW}), a batch of clips runs through an ONNX or TorchScript
 * model that takes {@code [B, T, C, H, W]} (or {@code [B, C, T, H, W]}), and the output is pooled as an image
 * encoder's. A file that cannot be decoded is bad input naming the instance and the file.
 *
 * <pre>{@code
 * EncoderSpec spec = SpecLocator.defaults().find("clip-cnn", Path.of("."));
 * try (Encoder clips = Encoders.load(spec, new AssetFetcher(), EncoderOptions.DEFAULT)) {
 *     float[] v = clips.encode(List.of(EncoderInput.of("talk", "talk.mp4"))).get(0);
 * }
 * }</pre>
 */
public final class ClipEncoder extends BatchEncoder<float[]> {

    private final VideoPreprocess pre;
    private final ImagePreprocess frame;
    private final FrameSampling sampling;
    private final Pooling pooling;
    private final TensorModel model;

    /**
     * @param name the encoder's name
     * @param fingerprint its fingerprint
     * @param model the model
     * @param pre the clip preprocessing
     * @param maxSeconds the longest clip accepted, in seconds ({@link FrameSampling#maxSeconds()})
     * @param pooling the pooling of the model's output
     * @param dimension the vector length
     */
    public ClipEncoder(
            String name,
            String fingerprint,
            TensorModel model,
            VideoPreprocess pre,
            double maxSeconds,
            Pooling pooling,
            int dimension) {
        super(name, dimension, fingerprint);
        this.pre = pre;
        this.frame = pre.frame();
        this.sampling = new FrameSampling(pre.frames(), 0, pre.frames(), maxSeconds);
        this.pooling = pooling;
        this.model = model;
    }

    /**
     * Reads one video file into its clip tensor's values (one clip of {@link VideoPreprocess#shape} with batch 1):
     * the spec's T frames spread evenly over the clip ({@link FrameSampling#evenly}).
     *
     * @param file a video file
     * @param pre the clip preprocessing
     * @param maxSeconds the longest clip accepted, in seconds
     * @return the values in the spec's layout
     * @throws BtwException when the file cannot be decoded, naming it
     */
    public static float[] clip(Path file, VideoPreprocess pre, double maxSeconds) {
        FrameSampling s = new FrameSampling(pre.frames(), 0, pre.frames(), maxSeconds);
        List<VideoFrames.Frame8> frames = VideoFrames.read(file, s, pre.width(), pre.height());
        ImagePreprocess one = pre.frame();
        int t = pre.frames();
        int c = pre.channels();
        int plane = pre.height() * pre.width();
        float[] out = new float[t * c * plane];
        for (int i = 0; i < t; i++) {
            float[] chw = ImageLoader.toTensor(frames.get(i).toImage(), one);
            if (pre.layout().equals("BTCHW")) {
                System.arraycopy(chw, 0, out, i * c * plane, c * plane);
            } else {
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(chw, ch * plane, out, (ch * t + i) * plane, plane);
                }
            }
        }
        return out;
    }

    @Override
    float[] prepare(EncoderInput input) {
        try {
            return clip(Path.of(input.value()), pre, sampling.maxSeconds());
        } catch (BtwException e) {
            throw new EncoderException(name(), input.id(), e.getMessage());
        }
    }

    @Override
    String shapeOf(float[] prepared) {
        long[] s = pre.shape(1);
        return "input " + Arrays.toString(s) + " float32 (" + pre.layout() + ")";
    }

    @Override
    List<float[]> run(List<float[]> batch) throws Exception {
        int per = batch.get(0).length;
        float[] all = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i), 0, all, i * per, per);
        }
        FloatTensor out = model.run(new FloatTensor(all, pre.shape(batch.size())));
        return OutputPooling.pool(out, pooling, batch.size());
    }

    @Override
    public void close() {
        model.close();
    }
}

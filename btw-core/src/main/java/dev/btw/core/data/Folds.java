package dev.btw.core.data;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Assigns the instances of a split to K cross-fitting folds: seeded, stratified by class for classification,
 * and, when groups are given, keeping every group (speaker, subject, patient) inside one fold.
 *
 * <p>Hand-written because the well-kept Java libraries at hand offer plain or stratified k-fold but not both
 * stratified and grouped (Tribuo's {@code KFoldSplitter} is neither): this is the greedy scheme of
 * scikit-learn's {@code StratifiedGroupKFold}: groups in a seeded order, largest first, each to the fold whose
 * class counts it moves least away from an even share (1/k of each class).
 *
 * <pre>{@code
 * int[] fold = Folds.assign(classes, groups, 5, 1111);   // fold[i] in 0..4
 * }</pre>
 */
public final class Folds {

    private Folds() {}

    /**
     * @param strata the class index of each instance for classification, or null (one stratum; then groups
     *     gives the instances)
     * @param groups the group of each instance, or null (every instance its own group)
     * @param k the number of folds, at least 2
     * @param seed the seed
     * @return the fold (0 to k-1) of each instance
     * @throws BtwException when there are fewer instances (or groups) than folds
     */
    public static int[] assign(int[] strata, String[] groups, int k, long seed) {
        if (k < 2) {
            throw new BtwException("btw.folds must be at least 2, got " + k);
        }
        int n = strata != null ? strata.length : groups != null ? groups.length : 0;
        if (strata != null && groups != null && strata.length != groups.length) {
            throw new IllegalArgumentException("strata and groups differ in length");
        }
        int classes = 1;
        if (strata != null) {
            for (int s : strata) {
                classes = Math.max(classes, s + 1);
            }
        }
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String g = groups == null ? "#" + i : groups[i];
            if (g == null || g.isEmpty()) {
                throw new BtwException("btw.fold_group: instance " + (i + 1) + " of the train split has no group");
            }
            byGroup.computeIfAbsent(g, x -> new ArrayList<>()).add(i);
        }
        if (byGroup.size() < k) {
            throw new BtwException("btw.folds is " + k + " but the train split has only " + byGroup.size()
                    + (groups == null ? " instances" : " groups in btw.fold_group") + "; lower btw.folds");
        }
        List<List<Integer>> order = new ArrayList<>(byGroup.values());
        Collections.shuffle(order, new Random(seed));
        // largest groups first (stable: equal sizes keep the seeded order)
        order.sort((a, b) -> Integer.compare(b.size(), a.size()));
        double[] target = new double[classes];
        for (int i = 0; i < n; i++) {
            target[strata == null ? 0 : strata[i]] += 1.0 / k;
        }
        double[][] counts = new double[k][classes];
        int[] sizes = new int[k];
        int[] fold = new int[n];
        int start = 0;
        for (List<Integer> members : order) {
            double[] add = new double[classes];
            for (int i : members) {
                add[strata == null ? 0 : strata[i]]++;
            }
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                // rotate the starting fold so that exact ties spread over the folds
                int f = (start + j) % k;
                double cost = 0;
                for (int c = 0; c < classes; c++) {
                    double before = counts[f][c] - target[c];
                    double after = before + add[c];
                    cost += after * after - before * before;
                }
                if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && sizes[f] < sizes[best])) {
                    best = f;
                    bestCost = cost;
                }
            }
            start = (best + 1) % k;
            for (int c = 0; c < classes; c++) {
                counts[best][c] += add[c];
            }
            sizes[best] += members.size();
            for (int i : members) {
                fold[i] = best;
            }
        }
        return fold;
    }

    /**
     * @param fold the fold of each instance ({@link #assign})
     * @param f a fold
     * @param held true for the instances of fold {@code f} (the held-out rows), false for all others
     * @return those instances' indices, in order
     */
    public static int[] rows(int[] fold, int f, boolean held) {
        return IntStream.range(0, fold.length)
                .filter(i -> (fold[i] == f) == held)
                .toArray();
    }
}

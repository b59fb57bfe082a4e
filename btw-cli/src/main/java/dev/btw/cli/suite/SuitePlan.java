package dev.btw.cli.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * What the suite runs: seeds, the BTW rules compared, the config overrides that size the models, and the sweeps.
 *
 * @param seeds one run directory per seed (every method, the unimodal references included, trains with it)
 * @param rules the BTW rules, compared with {@code uniform} and the best unimodal reference
 * @param overrides {@code key=value} config overrides applied to every data set (model size, epochs, threads)
 * @param noiseCounts how many pure-noise modalities each noise-sweep condition adds (0 is the main run)
 * @param noiseWidth the width of each noise modality (standard normal columns)
 * @param corruptLevels the per-instance noise standard deviations (in units of the standardised features) from
 *     which the corrupted copy of the strongest modality draws, uniformly, one level per instance
 * @param sweeps whether to run the noise and corrupted-copy sweeps at all
 * @param quick whether this is the quick plan (recorded on the results page)
 */
public record SuitePlan(List<Integer> seeds, List<String> rules, List<String> overrides, List<Integer> noiseCounts,
        int noiseWidth, double[] corruptLevels, boolean sweeps, boolean quick) {

    /** The BTW rules of the protocol. */
    public static final List<String> RULES = List.of("kl", "mi", "kl*mi", "exp(-kl)*mi");

    /** The overrides of the full suite: a reduced model (see docs/RESULTS.md), one intra-op thread. */
    public static final List<String> FULL_OVERRIDES = List.of("model.hidden=64", "model.experts=8",
            "model.expert_hidden=128", "model.ff_hidden=128", "model.head_hidden=64", "train.epochs=25",
            "train.patience=8", "train.threads=1");

    /** The overrides of the quick suite: a tiny model, few epochs. */
    public static final List<String> QUICK_OVERRIDES = List.of("model.hidden=32", "model.layers=1",
            "model.experts=4", "model.expert_hidden=64", "model.ff_hidden=64", "model.head_hidden=32",
            "train.epochs=12", "train.patience=6", "train.threads=1");

    /** @return the full protocol: seeds 1111-1115, sweeps with 0, 1, 2 and 4 noise modalities */
    public static SuitePlan full() {
        return new SuitePlan(List.of(1111, 1112, 1113, 1114, 1115), RULES, FULL_OVERRIDES, List.of(0, 1, 2, 4), 8,
                new double[] {0, 0.5, 1, 2, 4}, true, false);
    }

    /** @return the quick protocol: seeds 1111-1112, a tiny model, sweeps with 0, 1 and 2 noise modalities */
    public static SuitePlan quickPlan() {
        return new SuitePlan(List.of(1111, 1112), RULES, QUICK_OVERRIDES, List.of(0, 1, 2), 8,
                new double[] {0, 0.5, 1, 2, 4}, true, true);
    }

    /**
     * @param seeds other seeds
     * @return this plan with them
     */
    public SuitePlan withSeeds(List<Integer> seeds) {
        return new SuitePlan(List.copyOf(seeds), rules, overrides, noiseCounts, noiseWidth, corruptLevels, sweeps,
                quick);
    }

    /**
     * @param extra overrides applied after the plan's own
     * @return this plan with them
     */
    public SuitePlan withExtraOverrides(List<String> extra) {
        List<String> o = new ArrayList<>(overrides);
        o.addAll(extra);
        return new SuitePlan(seeds, rules, List.copyOf(o), noiseCounts, noiseWidth, corruptLevels, sweeps, quick);
    }

    /**
     * @param on whether to run the sweeps
     * @return this plan with that choice
     */
    public SuitePlan withSweeps(boolean on) {
        return new SuitePlan(seeds, rules, overrides, noiseCounts, noiseWidth, corruptLevels, on, quick);
    }

    /** @return the main-run methods after the unimodal references: late-average, uniform, then the rules */
    public List<String> fusionMethods() {
        List<String> m = new ArrayList<>();
        m.add("late-average");
        m.add("uniform");
        m.addAll(rules);
        return m;
    }
}

package dev.btw.bench.suite;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param variants settings variants run on the main data for {@link #variantRules} (name to extra overrides),
 *     each compared with the same rule under the default settings: the evidence for the default trigger and
 *     inference policy
 * @param variantRules the rules the variants run
 * @param phases which phases to run: any of {@link #PHASES}
 */
public record SuitePlan(
        List<Integer> seeds,
        List<String> rules,
        List<String> overrides,
        List<Integer> noiseCounts,
        int noiseWidth,
        double[] corruptLevels,
        boolean sweeps,
        boolean quick,
        Map<String, List<String>> variants,
        List<String> variantRules,
        List<String> phases) {

    /** The settings variants of the protocol. */
    public static final Map<String, List<String>> VARIANTS = defaultVariants();

    /**
     * All phases, in the order they run: the main condition, the sweeps (noise modalities, corrupted copy), the
     * settings variants, the reference policies on the main data, the reference policies under the sweeps'
     * hardest conditions ({@link #sweepReferenceBases()}), and the weight scale {@code mean-one} under those same
     * conditions ({@link #sweepScaleBases()}).
     */
    public static final List<String> PHASES =
            List.of("main", "sweeps", "variants", "references", "sweep-references", "sweep-scale");

    /**
     * The phases a plain {@code btw bench suite} runs (not {@code --quick}, which runs them all): the main condition,
     * the sweeps and the reference policies on the main data. {@code variants}, {@code sweep-references} and
     * {@code sweep-scale} are opt-in ({@code --phases}): with either the full suite no longer fits two hours on two cores
     * (docs/PERFORMANCE.md, "The benchmark suite"), and the variants answer a settled question (no val verdict
     * questions the defaults they compare).
     */
    public static final List<String> DEFAULT_PHASES = List.of("main", "sweeps", "references");

    /**
     * The reference policies of the {@code references} phase (docs/METHOD.md, "Reference policies"), each run on
     * the main data with {@link #referenceRules()} and the same seeds and full-train references as the main
     * condition, whose runs are the {@code in-sample} side of every comparison.
     */
    public static final List<String> REFERENCE_POLICIES = List.of("out-of-fold", "validation");

    /**
     * {@code btw.fold_group} for data sets whose split keeps groups apart, for configs built before their recipe
     * wrote the key (a config that sets it wins).
     */
    public static final Map<String, String> FOLD_GROUPS = Map.of("av-mnist", "speaker", "video-mnist", "speaker");

    private static Map<String, List<String>> defaultVariants() {
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("trigger-every-epoch", List.of("btw.trigger=every-epoch"));
        v.put("inference-instance", List.of("btw.inference=instance"));
        v.put("inference-uniform", List.of("btw.inference=uniform"));
        v.put(ScaleCondition.VARIANT, List.of(ScaleCondition.OVERRIDE));
        return v;
    }

    /**
     * The plan without variants (as before variants existed).
     *
     * @param seeds seeds
     * @param rules rules
     * @param overrides overrides
     * @param noiseCounts noise counts
     * @param noiseWidth noise width
     * @param corruptLevels corrupted-copy levels
     * @param sweeps whether to sweep
     * @param quick whether quick
     */
    public SuitePlan(
            List<Integer> seeds,
            List<String> rules,
            List<String> overrides,
            List<Integer> noiseCounts,
            int noiseWidth,
            double[] corruptLevels,
            boolean sweeps,
            boolean quick) {
        this(
                seeds,
                rules,
                overrides,
                noiseCounts,
                noiseWidth,
                corruptLevels,
                sweeps,
                quick,
                Map.of(),
                List.of(),
                DEFAULT_PHASES);
    }

    /** The BTW rules of the protocol. */
    public static final List<String> RULES = List.of("kl", "mi", "kl*mi", "exp(-kl)*mi");

    /** The overrides of the full suite: a reduced model (see docs/RESULTS.md), one intra-op thread. */
    public static final List<String> FULL_OVERRIDES = List.of(
            "model.hidden=64",
            "model.experts=8",
            "model.expert_hidden=128",
            "model.ff_hidden=128",
            "model.head_hidden=64",
            "train.epochs=25",
            "train.patience=8",
            "train.threads=1");

    /** The overrides of the quick suite: a tiny model, few epochs. */
    public static final List<String> QUICK_OVERRIDES = List.of(
            "model.hidden=32",
            "model.layers=1",
            "model.experts=4",
            "model.expert_hidden=64",
            "model.ff_hidden=64",
            "model.head_hidden=32",
            "train.epochs=12",
            "train.patience=6",
            "train.threads=1");

    /** @return the full protocol: seeds 1111-1115, sweeps with 0, 1, 2 and 4 noise modalities */
    public static SuitePlan full() {
        return new SuitePlan(
                List.of(1111, 1112, 1113, 1114, 1115),
                RULES,
                FULL_OVERRIDES,
                List.of(0, 1, 2, 4),
                8,
                new double[] {0, 0.5, 1, 2, 4},
                true,
                false,
                VARIANTS,
                List.of("kl*mi", "exp(-kl)*mi"),
                DEFAULT_PHASES);
    }

    /**
     * @return the quick protocol: seeds 1111-1112, a tiny model, sweeps with 0, 1 and 2 noise modalities, every
     *     phase ({@code sweep-references} included: it costs seconds here)
     */
    public static SuitePlan quickPlan() {
        return new SuitePlan(
                List.of(1111, 1112),
                RULES,
                QUICK_OVERRIDES,
                List.of(0, 1, 2),
                8,
                new double[] {0, 0.5, 1, 2, 4},
                true,
                true,
                VARIANTS,
                List.of("kl*mi"),
                PHASES);
    }

    /**
     * @param seeds other seeds
     * @return this plan with them
     */
    public SuitePlan withSeeds(List<Integer> seeds) {
        return new SuitePlan(
                List.copyOf(seeds),
                rules,
                overrides,
                noiseCounts,
                noiseWidth,
                corruptLevels,
                sweeps,
                quick,
                variants,
                variantRules,
                phases);
    }

    /**
     * @param extra overrides applied after the plan's own
     * @return this plan with them
     */
    public SuitePlan withExtraOverrides(List<String> extra) {
        List<String> o = new ArrayList<>(overrides);
        o.addAll(extra);
        return new SuitePlan(
                seeds,
                rules,
                List.copyOf(o),
                noiseCounts,
                noiseWidth,
                corruptLevels,
                sweeps,
                quick,
                variants,
                variantRules,
                phases);
    }

    /**
     * @param on whether to run the sweeps
     * @return this plan with that choice
     */
    public SuitePlan withSweeps(boolean on) {
        return new SuitePlan(
                seeds,
                rules,
                overrides,
                noiseCounts,
                noiseWidth,
                corruptLevels,
                on,
                quick,
                variants,
                variantRules,
                phases);
    }

    /**
     * @param only the phases to run ({@code main}, {@code sweeps}, {@code variants}, {@code references})
     * @return this plan restricted to them
     */
    public SuitePlan withPhases(List<String> only) {
        for (String p : only) {
            if (!PHASES.contains(p)) {
                throw new BtwException("--phases: unknown phase '" + p + "'; expected " + PHASES);
            }
        }
        return new SuitePlan(
                seeds,
                rules,
                overrides,
                noiseCounts,
                noiseWidth,
                corruptLevels,
                sweeps,
                quick,
                variants,
                variantRules,
                List.copyOf(only));
    }

    /**
     * @return the rules the {@code references} phase runs under each policy: {@code exp(-kl)*mi}, {@code kl*mi}
     *     and {@code mi}; the quick plan only {@code exp(-kl)*mi}
     */
    public List<String> referenceRules() {
        return quick ? List.of("exp(-kl)*mi") : List.of("exp(-kl)*mi", "kl*mi", "mi");
    }

    /**
     * @return the rules the {@code sweep-references} phase runs under each policy: the default rule
     *     {@code exp(-kl)*mi} only (the sweep conditions have up to four more modalities, each with its own fold
     *     models, so every rule costs more there)
     */
    public List<String> sweepReferenceRules() {
        return List.of("exp(-kl)*mi");
    }

    /**
     * @return the rules whose weight scale is compared ({@code sum-to-one} against {@code mean-one}): the
     *     {@code scale-mean-one} variant runs them on the main data and the {@code sweep-scale} phase under
     *     {@link #sweepScaleBases()}
     */
    public List<String> scaleRules() {
        return List.of("exp(-kl)*mi", "kl*mi");
    }

    /**
     * @param variant a key of {@link #variants()}
     * @return the rules that variant runs: {@link #variantRules()}, and for {@code scale-mean-one} also the
     *     {@link #scaleRules()} that are not among them
     */
    public List<String> variantRules(String variant) {
        List<String> r = new ArrayList<>(variantRules);
        if (ScaleCondition.VARIANT.equals(variant)) {
            scaleRules().stream().filter(x -> !r.contains(x)).forEach(r::add);
        }
        return r;
    }

    /**
     * @return the sweep conditions the {@code sweep-scale} phase runs {@link #scaleRules()} on with
     *     {@code btw.scale: mean-one}: the same as {@link #sweepReferenceBases()}, the largest noise count and the
     *     corrupted copy
     */
    public List<String> sweepScaleBases() {
        return sweepReferenceBases();
    }

    /** Prefix of the noise-sweep conditions, {@code noise-<k>}. */
    static final String NOISE = "noise-";

    /**
     * @param count how many pure-noise modalities are added
     * @return the condition's name, {@code noise-<count>}
     */
    static String noiseCondition(int count) {
        return NOISE + count;
    }

    /**
     * @param condition a suite condition
     * @return the number of noise modalities it adds: k for {@code noise-<k>}, 0 for any other condition
     */
    static int noiseCount(String condition) {
        return condition.startsWith(NOISE) ? Integer.parseInt(condition.substring(NOISE.length())) : 0;
    }

    /**
     * @return the sweep conditions the {@code sweep-references} phase runs the reference policies on: the largest
     *     noise count ({@code noise-<k>}) and the corrupted copy ({@code corrupt}); the levels in between are left
     *     out to keep the suite within its time budget
     */
    public List<String> sweepReferenceBases() {
        List<String> bases = new ArrayList<>();
        noiseCounts.stream().mapToInt(Integer::intValue).max().ifPresent(k -> {
            if (k > 0) {
                bases.add(noiseCondition(k));
            }
        });
        bases.add("corrupt");
        return bases;
    }

    /**
     * @return the main-run methods after the unimodal references: late-average, uniform, the early-fusion linear
     *     baseline, then the rules
     */
    public List<String> fusionMethods() {
        List<String> m = new ArrayList<>();
        m.add("late-average");
        m.add("uniform");
        m.add("linear");
        m.addAll(rules);
        return m;
    }
}

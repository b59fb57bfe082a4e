package dev.btw.bench.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every BTW rule under every setting, against {@code uniform}, in every condition of every data set, counted on
 * the val split (where defaults are chosen) and on the test split (which only reports). A rule or setting earns
 * a default when it wins on val somewhere and loses on val nowhere.
 *
 * <p>A condition's {@code uniform} is its own where it ran one (main, noise, corrupted copy); the settings variants
 * and reference policies train only the rules, on the main data with the main seeds, so they pair with the main
 * condition's {@code uniform}; a reference policy or the {@code mean-one} scale under a sweep condition pairs with
 * that condition's.
 */
final class ValidationVerdicts {

    private final List<DatasetResults> results;

    ValidationVerdicts(List<DatasetResults> results) {
        this.results = results;
    }

    /** One rule under one setting, tallied over (data set, condition) cells. */
    private static final class Tally {
        int cells;
        int valBetter;
        int valWorse;
        int testBetter;
        int testWorse;
        final List<String> valSignificant = new ArrayList<>();
    }

    /**
     * @param condition a suite condition
     * @return the setting it varies: {@code defaults} for the data conditions, else the variant or policy
     */
    static String setting(String condition) {
        if (ScaleCondition.parse(condition).isPresent()) {
            return ScaleCondition.VARIANT;
        }
        if (condition.startsWith("variant-")) {
            return condition.substring("variant-".length());
        }
        return PolicyCondition.parse(condition)
                .map(pc -> "references: " + pc.policy())
                .orElse("defaults");
    }

    /**
     * @return the condition whose {@code uniform} a rule of this condition is compared with: its own, else the
     *     condition whose data it ran on (a variant or a reference policy: the main data or a sweep condition)
     */
    private static String uniformOf(DatasetResults r, String condition) {
        if (r.methods(condition).contains("uniform")) {
            return condition;
        }
        return PolicyCondition.parse(condition)
                .map(PolicyCondition::base)
                .or(() -> ScaleCondition.parse(condition).map(ScaleCondition::base))
                .orElse("main");
    }

    /** @return Markdown lines: the tally table (empty when nothing finished) */
    List<String> render() {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (DatasetResults r : results) {
            String metric = r.mainMetric();
            boolean lower = DatasetResults.lowerIsBetter(metric);
            for (String c : r.conditions()) {
                String base = uniformOf(r, c);
                for (String rule : ResultsPage.rulesOf(r, c)) {
                    double[] val = r.values(c, rule, "val", metric);
                    double[] uVal = r.values(base, "uniform", "val", metric);
                    if (val.length != uVal.length || val.length < 2) {
                        continue;
                    }
                    Tally t = tallies.computeIfAbsent("`" + rule + "` · " + setting(c), k -> new Tally());
                    t.cells++;
                    Comparison v = Comparison.of(val, uVal, lower);
                    if (v.significant()) {
                        if (v.improvement() > 0) {
                            t.valBetter++;
                        } else {
                            t.valWorse++;
                        }
                        t.valSignificant.add(r.name() + " " + c + " " + ResultsPage.signed(v.improvement()));
                    }
                    Comparison s = Comparison.of(
                            r.values(c, rule, "test", metric), r.values(base, "uniform", "test", metric), lower);
                    if (s.significant()) {
                        if (s.improvement() > 0) {
                            t.testBetter++;
                        } else {
                            t.testWorse++;
                        }
                    }
                }
            }
        }
        List<String> md = new ArrayList<>();
        if (tallies.isEmpty()) {
            return md;
        }
        md.add("Every rule and setting against `uniform`, over all data sets and conditions (main, noise levels, "
                + "corrupted copy; variants on the main data; reference policies on the main data and, where the "
                + "sweep-references phase ran, the strongest noise level and the corrupted copy; the non-default scale "
                + "there too where the sweep-scale phase ran): the number of cells, and in "
                + "how many the paired t-test over seeds (p < 0.05) found it better or worse, on val (where "
                + "defaults are chosen) and on test (which only reports). Where val was significant, the cell and "
                + "the improvement over `uniform` (positive = better).");
        md.add("");
        md.add(
                "| rule · setting | cells | val better | val worse | test better | test worse | val-significant cells |");
        md.add("| --- | --- | --- | --- | --- | --- | --- |");
        tallies.forEach((k, t) -> md.add("| " + k + " | " + t.cells + " | " + t.valBetter + " | " + t.valWorse + " | "
                + t.testBetter + " | " + t.testWorse + " | "
                + (t.valSignificant.isEmpty() ? "-" : String.join("; ", t.valSignificant)) + " |"));
        md.add("");
        return md;
    }
}

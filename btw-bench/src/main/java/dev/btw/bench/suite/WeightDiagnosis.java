package dev.btw.bench.suite;

import dev.btw.app.experiment.Method;
import dev.btw.app.experiment.MethodName;
import dev.btw.core.stats.SpearmanCorrelation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weights as a diagnosis: does BTW rank the modalities the way their held-out quality does? For each reference
 * policy ({@code in-sample} from the main condition, {@code out-of-fold} and {@code validation} from the
 * {@code references} phase) it sets every modality's share of the training weight at the last refresh beside the
 * test metric of that modality's own unimodal reference, and reports Spearman's rank correlation between the two
 * per data set and seed, pooled over data sets. It also gathers the fused-side evidence: how far the fused model's
 * train metric sits from its val metric, and how far the MI shares move when the fused predictions that MI is
 * measured against are out-of-sample ({@code validation}) rather than in-sample ({@code out-of-fold}).
 *
 * <p>Test metrics are only reported here; nothing is chosen from them.
 */
final class WeightDiagnosis {

    /** The rule whose weights the per-data-set table shows (the config default), when the runs have it. */
    static final String TABLE_RULE = "exp(-kl)*mi";

    /** Weight field of the refresh files, and the MI share field. */
    private static final String WEIGHT = "mean_weight";

    private static final String MI = "mi";

    private final List<DatasetResults> results;

    WeightDiagnosis(List<DatasetResults> results) {
        this.results = results;
    }

    /**
     * @param r a data set's results
     * @return reference policy to the condition holding its runs, for the policies that have finished runs
     */
    static Map<String, String> policies(DatasetResults r) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("in-sample", "main");
        for (String c : r.conditions()) {
            PolicyCondition.parse(c).filter(pc -> "main".equals(pc.base())).ifPresent(pc -> p.put(pc.policy(), c));
        }
        p.values().removeIf(c -> !r.conditions().contains(c));
        return p;
    }

    /**
     * @param r a data set's results
     * @return the BTW rules that ran under every reference policy of the data set
     */
    static List<String> rules(DatasetResults r) {
        Map<String, String> p = policies(r);
        List<String> rules = new ArrayList<>();
        if (p.size() < 2) {
            return rules;
        }
        for (String m : r.methods(p.values().stream().reduce((a, b) -> b).orElseThrow())) {
            if (p.values().stream().allMatch(c -> r.methods(c).contains(m))) {
                rules.add(m);
            }
        }
        return rules;
    }

    /**
     * Spearman's rho between one field's per-modality values and the modalities' own test quality, one value per
     * seed that has both (NaN where undefined, for example equal shares).
     *
     * @param r a data set's results
     * @param condition the condition of the policy
     * @param rule a BTW rule
     * @param field {@code mean_weight} or {@code mi}
     * @return seed to rho
     */
    static Map<Integer, Double> rankCorrelations(DatasetResults r, String condition, String rule, String field) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        Map<Integer, Map<String, Double>> shares = r.lastRefreshBySeed(condition, MethodName.slug(rule), field);
        List<Integer> mainSeeds = r.seeds("main");
        List<String> mods = new ArrayList<>(r.modalities().keySet());
        for (Map.Entry<Integer, Map<String, Double>> e : shares.entrySet()) {
            int at = mainSeeds.indexOf(e.getKey());
            if (at < 0 || !e.getValue().keySet().containsAll(mods)) {
                continue;
            }
            double[] s = new double[mods.size()];
            double[] q = new double[mods.size()];
            for (int i = 0; i < mods.size(); i++) {
                s[i] = e.getValue().get(mods.get(i));
                q[i] = quality(r, mods.get(i))[at];
            }
            boolean finite = true;
            for (double x : q) {
                finite &= Double.isFinite(x);
            }
            out.put(e.getKey(), finite ? SpearmanCorrelation.of(s, q) : Double.NaN);
        }
        return out;
    }

    /** The modality's held-out quality per main seed: its reference's test metric, negated for an error. */
    private static double[] quality(DatasetResults r, String modality) {
        double[] v = r.values("main", Method.unimodal(modality).toString(), "test", r.mainMetric())
                .clone();
        if (DatasetResults.lowerIsBetter(r.mainMetric())) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
        return v;
    }

    /**
     * The per-data-set table: each modality's reference quality, and its weight share (MI share) under every
     * policy for {@link #TABLE_RULE}, then the rank correlations of every rule and policy.
     *
     * @param r a data set's results
     * @return Markdown lines (empty when the references phase did not run)
     */
    List<String> dataset(DatasetResults r) {
        List<String> md = new ArrayList<>();
        Map<String, String> policies = policies(r);
        List<String> rules = rules(r);
        if (rules.isEmpty()) {
            return md;
        }
        String rule = rules.contains(TABLE_RULE) ? TABLE_RULE : rules.get(0);
        String metric = r.mainMetric();
        md.add("### Weights as a diagnosis");
        md.add("");
        md.add("Each modality's share of the mean training weight of `" + rule + "` at the last refresh (in "
                + "brackets its MI share), mean over seeds, under each reference policy, beside the modality's own "
                + "unimodal reference (" + metric + ": train / val / test, mean over seeds). BTW ranks the modalities "
                + "well when the shares fall in the order of the test column.");
        md.add("");
        StringBuilder h = new StringBuilder("| modality | reference train | val | test |");
        policies.keySet().forEach(p -> h.append(' ').append(p).append(" |"));
        md.add(h.toString());
        md.add("| --- | --- | --- | --- |" + " --- |".repeat(policies.size()));
        Map<String, Map<String, Double>> weight = new LinkedHashMap<>();
        Map<String, Map<String, Double>> mi = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : policies.entrySet()) {
            weight.put(p.getKey(), shares(r.lastRefresh(p.getValue(), MethodName.slug(rule), WEIGHT)));
            mi.put(p.getKey(), r.lastRefresh(p.getValue(), MethodName.slug(rule), MI));
        }
        for (String m : r.modalities().keySet()) {
            String ref = Method.unimodal(m).toString();
            StringBuilder row = new StringBuilder("| `" + m + "` | "
                    + ResultsPage.fmt(DatasetResults.mean(r.values("main", ref, "train", metric))) + " | "
                    + ResultsPage.fmt(DatasetResults.mean(r.values("main", ref, "val", metric))) + " | "
                    + ResultsPage.meanStd(r.values("main", ref, "test", metric)) + " |");
            for (String p : policies.keySet()) {
                Double w = weight.get(p).get(m);
                Double s = mi.get(p).get(m);
                row.append(' ')
                        .append(w == null ? "-" : ResultsPage.f3(w))
                        .append(s == null ? "" : " (" + ResultsPage.f3(s) + ")")
                        .append(" |");
            }
            md.add(row.toString());
        }
        md.add("");
        md.add("Spearman's rank correlation between the modalities' weight shares (MI shares) and their references' "
                + "test quality, mean over seeds (seeds with a defined value in brackets); +1 = the same order.");
        md.add("");
        md.add("| rule |" + policies.keySet().stream().map(p -> " " + p + " |").reduce("", String::concat));
        md.add("| --- |" + " --- |".repeat(policies.size()));
        for (String ru : rules) {
            StringBuilder row = new StringBuilder("| `" + ru + "` |");
            for (String c : policies.values()) {
                row.append(' ')
                        .append(rho(rankCorrelations(r, c, ru, WEIGHT).values()))
                        .append(" (")
                        .append(rho(rankCorrelations(r, c, ru, MI).values()))
                        .append(") |");
            }
            md.add(row.toString());
        }
        md.add("");
        return md;
    }

    /**
     * The pooled rank correlations over data sets and seeds, and the fused-side table.
     *
     * @return Markdown lines (empty when no data set ran the references phase)
     */
    List<String> summary() {
        List<String> md = new ArrayList<>();
        List<DatasetResults> with =
                results.stream().filter(r -> !rules(r).isEmpty()).toList();
        if (with.isEmpty()) {
            return md;
        }
        List<String> policyNames = new ArrayList<>();
        List<String> ruleNames = new ArrayList<>();
        for (DatasetResults r : with) {
            policies(r).keySet().stream().filter(p -> !policyNames.contains(p)).forEach(policyNames::add);
            rules(r).stream().filter(p -> !ruleNames.contains(p)).forEach(ruleNames::add);
        }
        md.add("Weights as a diagnosis, over all data sets: Spearman's rank correlation between the modalities' "
                + "weight shares (MI shares) and their unimodal references' test quality, pooled over data sets "
                + "and seeds (mean; the number of defined data set-seed pairs in brackets). Per data set: "
                + "\"Weights as a diagnosis\" in each section.");
        md.add("");
        md.add("| rule |" + policyNames.stream().map(p -> " " + p + " |").reduce("", String::concat));
        md.add("| --- |" + " --- |".repeat(policyNames.size()));
        for (String rule : ruleNames) {
            StringBuilder row = new StringBuilder("| `" + rule + "` |");
            for (String p : policyNames) {
                List<Double> w = new ArrayList<>();
                List<Double> s = new ArrayList<>();
                for (DatasetResults r : with) {
                    String c = policies(r).get(p);
                    if (c != null && rules(r).contains(rule)) {
                        w.addAll(rankCorrelations(r, c, rule, WEIGHT).values());
                        s.addAll(rankCorrelations(r, c, rule, MI).values());
                    }
                }
                row.append(' ').append(rho(w)).append(" (").append(rho(s)).append(") |");
            }
            md.add(row.toString());
        }
        md.add("");
        fusedSide(with, md);
        return md;
    }

    /** The fused side: the fused model's own train-val gap, and how far the MI shares move between policies. */
    private void fusedSide(List<DatasetResults> with, List<String> md) {
        md.add("The fused side (`" + TABLE_RULE + "`, in-sample references): BTW's MI is measured against the "
                + "fused model's train predictions, which are in-sample too. Below: the fused model's train and val "
                + "headline metric (mean over seeds), and the mean absolute change of a modality's MI share between "
                + "policies (over modalities and seeds). `out-of-fold` -> `validation` changes only the predictions "
                + "that MI compares, from train (fused in-sample) to val (fused out-of-sample), with honest "
                + "references on both sides.");
        md.add("");
        md.add(
                "| data set | metric | fused train | fused val | in-sample -> out-of-fold | out-of-fold -> validation |");
        md.add("| --- | --- | --- | --- | --- | --- |");
        for (DatasetResults r : with) {
            String rule = rules(r).contains(TABLE_RULE) ? TABLE_RULE : rules(r).get(0);
            Map<String, String> p = policies(r);
            String metric = r.mainMetric();
            md.add("| " + r.name() + " | " + metric + " | "
                    + ResultsPage.fmt(DatasetResults.mean(r.values("main", rule, "train", metric))) + " | "
                    + ResultsPage.fmt(DatasetResults.mean(r.values("main", rule, "val", metric))) + " | "
                    + ResultsPage.f3(shareChange(r, p.get("in-sample"), p.get("out-of-fold"), rule)) + " | "
                    + ResultsPage.f3(shareChange(r, p.get("out-of-fold"), p.get("validation"), rule)) + " |");
        }
        md.add("");
    }

    /** Mean absolute difference of MI shares between two conditions, over modalities and common seeds. */
    static double shareChange(DatasetResults r, String from, String to, String rule) {
        if (from == null || to == null) {
            return Double.NaN;
        }
        Map<Integer, Map<String, Double>> a = r.lastRefreshBySeed(from, MethodName.slug(rule), MI);
        Map<Integer, Map<String, Double>> b = r.lastRefreshBySeed(to, MethodName.slug(rule), MI);
        double sum = 0;
        int n = 0;
        for (Map.Entry<Integer, Map<String, Double>> e : a.entrySet()) {
            Map<String, Double> other = b.get(e.getKey());
            if (other == null) {
                continue;
            }
            for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
                Double y = other.get(m.getKey());
                if (y != null) {
                    sum += Math.abs(m.getValue() - y);
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Values divided by their sum. */
    private static Map<String, Double> shares(Map<String, Double> values) {
        double total = values.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v / total));
        return out;
    }

    private static String rho(Collection<Double> values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? "-" : String.format(Locale.ROOT, "%+.2f", sum / n) + " [" + n + "]";
    }
}

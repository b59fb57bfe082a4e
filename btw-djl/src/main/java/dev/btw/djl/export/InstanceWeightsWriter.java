package dev.btw.djl.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import dev.btw.core.divergence.CategoricalKl;
import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.core.weights.WeightScale;
import dev.btw.djl.training.InstancePolicySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes the {@code instance} inference policy's weights into a graph, as {@link LabelFreeWeights} computes them
 * (btw-core's {@link BtwRefresh} with the training shares, the global sigmas and no EMA): per instance and
 * modality, the divergence between the unimodal reference's prediction and the fused prediction under the
 * modality prior (Gaussian KL with the global sigmas for regression, categorical KL of the clamped softmax for
 * classification), floored, capped and normalised over the present modalities, combined with the modality share
 * mu^m by the training rule, renormalised over the present modalities by the training scale; 0 for a missing
 * modality.
 *
 * <p>Like the Java code, which takes the models' float outputs and computes in double, the graph casts the raw
 * outputs to double, computes the weights in double with the same operations in the same order, and casts the
 * weights back to float, the type the fused model takes them in.
 */
final class InstanceWeightsWriter {

    private final OnnxGraph g;
    private final Task task;
    private final InstancePolicySettings settings;

    /**
     * @param g the graph
     * @param task regression or classification
     * @param settings the run's instance-policy settings
     */
    InstanceWeightsWriter(OnnxGraph g, Task task, InstancePolicySettings settings) {
        this.g = g;
        this.task = task;
        this.settings = settings;
    }

    /**
     * Writes the weights.
     *
     * @param names the modalities, in model order
     * @param present per modality, float {@code [batch, 1]}, 1 or 0
     * @param references per modality, the reference's raw head output (a standardised value, or logits)
     * @param referenceScales per modality, the reference's label scaling (regression; ignored otherwise)
     * @param fused the fused model's raw head output under the modality prior
     * @param fusedScale the fused model's label scaling (regression; ignored otherwise)
     * @return the weights, float {@code [batch, M]} in model order
     */
    ONNXRef<?> weights(
            List<String> names,
            List<? extends ONNXRef<?>> present,
            List<? extends ONNXRef<?>> references,
            Map<String, Standardisation> referenceScales,
            ONNXRef<?> fused,
            Standardisation fusedScale) {
        int m = names.size();
        if (m == 1) {
            // a single modality weighs 1 where present (BtwRefresh's single-modality case)
            return present.get(0);
        }
        double[] mu = shares(names);
        CombinationRule rule = settings.rule();
        List<ONNXRef<?>> presentD = new ArrayList<>();
        for (ONNXRef<?> p : present) {
            presentD.add(g.cast(p, DataType.DOUBLE));
        }
        List<ONNXRef<?>> k = new ArrayList<>();
        if (rule.usesDivergence()) {
            ONNXRef<?> q = task == Task.REGRESSION ? value(fused, fusedScale) : probabilities(fused);
            List<ONNXRef<?>> divergence = new ArrayList<>();
            ONNXRef<?> sum = null;
            for (int j = 0; j < m; j++) {
                String name = names.get(j);
                ONNXRef<?> d = task == Task.REGRESSION
                        ? gaussianKl(value(references.get(j), scale(referenceScales, name)), q, name)
                        : categoricalKl(probabilities(references.get(j)), q);
                d = g.op(OnnxOp.MUL, clampDivergence(d), presentD.get(j));
                divergence.add(d);
                sum = sum == null ? d : g.op(OnnxOp.ADD, sum, d);
            }
            ONNXRef<?> safe = nonZero(sum);
            for (ONNXRef<?> d : divergence) {
                k.add(g.op(OnnxOp.DIV, d, safe));
            }
        }
        List<ONNXRef<?>> f = new ArrayList<>();
        ONNXRef<?> fSum = null;
        ONNXRef<?> count = null;
        for (int j = 0; j < m; j++) {
            ONNXRef<?> share = g.doubles("share_" + names.get(j), mu[j]);
            ONNXRef<?> fj = g.op(OnnxOp.MUL, combine(g, rule, k.isEmpty() ? null : k.get(j), share), presentD.get(j));
            f.add(fj);
            fSum = fSum == null ? fj : g.op(OnnxOp.ADD, fSum, fj);
            count = count == null ? presentD.get(j) : g.op(OnnxOp.ADD, count, presentD.get(j));
        }
        ONNXRef<?> numerator = settings.scale() == WeightScale.MEAN_ONE ? count : g.doubles("one", 1.0);
        ONNXRef<?> factor = g.op(OnnxOp.DIV, numerator, nonZero(fSum));
        List<ONNXRef<?>> w = new ArrayList<>();
        for (ONNXRef<?> fj : f) {
            w.add(g.op(OnnxOp.MUL, fj, factor));
        }
        return g.cast(g.concat(1, w), DataType.FLOAT);
    }

    /**
     * A rule's ONNX form: the graph twin of {@link CombinationRule#combine}, f_i^m before renormalisation. The
     * {@code switch} is exhaustive with no {@code default}, so a rule added to the enum does not compile until it has
     * its ONNX form here ({@code InstanceWeightsWriterTest} compares the two on every rule).
     *
     * @param g the graph
     * @param rule the rule
     * @param divergenceShare k_i^m, double {@code [batch, 1]}; null when the rule does not read the divergence
     * @param modalityShare mu^m, double
     * @return f_i^m, double (a constant for {@link CombinationRule#UNIFORM})
     */
    static ONNXRef<?> combine(OnnxGraph g, CombinationRule rule, ONNXRef<?> divergenceShare, ONNXRef<?> modalityShare) {
        return switch (rule) {
            case KL_MI, KL_CC -> g.op(OnnxOp.MUL, divergenceShare, modalityShare);
            case EXP_NEG_KL_MI -> g.op(OnnxOp.MUL, g.op(OnnxOp.EXP, g.op(OnnxOp.NEG, divergenceShare)), modalityShare);
            case KL -> divergenceShare;
            case MI, CC -> modalityShare;
            case UNIFORM -> g.doubles("one", 1.0);
        };
    }

    /** mu^m as BtwRefresh takes fixed shares: floored at {@link BtwRefresh#MIN_SHARE}, normalised to sum 1. */
    private double[] shares(List<String> names) {
        double[] mu = new double[names.size()];
        double sum = 0;
        for (int j = 0; j < mu.length; j++) {
            Double s = settings.shares().get(names.get(j));
            if (s == null || !(s >= 0)) {
                throw new BtwException("the run's instance-policy settings have no modality share for '" + names.get(j)
                        + "'; have " + settings.shares().keySet());
            }
            mu[j] = Math.max(s, BtwRefresh.MIN_SHARE);
        }
        for (double v : mu) {
            sum += v;
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= sum;
        }
        return mu;
    }

    private static Standardisation scale(Map<String, Standardisation> scales, String name) {
        Standardisation s = scales.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no label scaling for the reference of '" + name + "'");
        }
        return s;
    }

    /** A regression output on the original label scale, in double: {@code raw * std + mean}. */
    private ONNXRef<?> value(ONNXRef<?> raw, Standardisation scale) {
        return g.op(
                OnnxOp.ADD,
                g.op(OnnxOp.MUL, g.cast(raw, DataType.DOUBLE), g.doubles("label_std", scale.std()[0])),
                g.doubles("label_mean", scale.mean()[0]));
    }

    /** Class probabilities in double: the softmax of the logits. */
    private ONNXRef<?> probabilities(ONNXRef<?> logits) {
        return g.op(OnnxOp.SOFTMAX, List.of(g.cast(logits, DataType.DOUBLE)), Map.of("axis", -1));
    }

    /**
     * GaussianKl with the global sigmas, both floored: {@code ln(sq/sp) + (sp^2 + (p - q)^2) / (2 sq^2) - 1/2}.
     */
    private ONNXRef<?> gaussianKl(ONNXRef<?> p, ONNXRef<?> q, String name) {
        double floor = settings.sigmaFloor();
        double sp = Math.max(settings.sigmas().of(name), floor);
        double sq = Math.max(settings.sigmas().fused(), floor);
        ONNXRef<?> diff = g.op(OnnxOp.SUB, p, q);
        ONNXRef<?> ratio = g.op(
                OnnxOp.DIV,
                g.op(OnnxOp.ADD, g.doubles("sp2_" + name, sp * sp), g.op(OnnxOp.MUL, diff, diff)),
                g.doubles("two_sq2", 2 * sq * sq));
        return g.op(
                OnnxOp.SUB,
                g.op(OnnxOp.ADD, g.doubles("log_sq_sp_" + name, Math.log(sq / sp)), ratio),
                g.doubles("half", 0.5));
    }

    /** CategoricalKl: both rows clamped to [1e-8, 1] and renormalised, then {@code sum p ln(p / q)}. */
    private ONNXRef<?> categoricalKl(ONNXRef<?> p, ONNXRef<?> q) {
        ONNXRef<?> pn = clampedDistribution(p);
        ONNXRef<?> qn = clampedDistribution(q);
        ONNXRef<?> terms = g.op(OnnxOp.MUL, pn, g.op(OnnxOp.LOG, g.op(OnnxOp.DIV, pn, qn)));
        return g.op(OnnxOp.REDUCE_SUM, List.of(terms, g.longs("axes", 1)), Map.of("keepdims", 1));
    }

    private ONNXRef<?> clampedDistribution(ONNXRef<?> p) {
        ONNXRef<?> c = min(g.op(OnnxOp.MAX, p, g.doubles("min_probability", CategoricalKl.MIN_PROBABILITY)), 1.0);
        ONNXRef<?> sum = g.op(OnnxOp.REDUCE_SUM, List.of(c, g.longs("axes", 1)), Map.of("keepdims", 1));
        return g.op(OnnxOp.DIV, c, sum);
    }

    /** As BtwRefresh: a NaN or a divergence below the floor becomes the floor; at most the cap. */
    private ONNXRef<?> clampDivergence(ONNXRef<?> d) {
        ONNXRef<?> floor = g.doubles("min_divergence", BtwRefresh.MIN_DIVERGENCE);
        ONNXRef<?> noNan = g.op(OnnxOp.WHERE, g.op(OnnxOp.IS_NAN, d), floor, d);
        return min(g.op(OnnxOp.MAX, noNan, floor), BtwRefresh.MAX_DIVERGENCE);
    }

    /** min(x, c) as -max(-x, -c) (no {@code Min} among the exporter's operators). */
    private ONNXRef<?> min(ONNXRef<?> x, double c) {
        return g.op(OnnxOp.NEG, g.op(OnnxOp.MAX, g.op(OnnxOp.NEG, x), g.doubles("neg_cap", -c)));
    }

    /** The sum where it is not 0, else 1 (an instance with no modality present: every weight is 0 anyway). */
    private ONNXRef<?> nonZero(ONNXRef<?> sum) {
        ONNXRef<?> one = g.doubles("one", 1.0);
        return g.op(OnnxOp.WHERE, g.op(OnnxOp.EQUAL, sum, g.doubles("zero_d", 0.0)), one, sum);
    }
}

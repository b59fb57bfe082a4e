package dev.btw.core.config;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightScale;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks the values of a merged config: enumerations, ranges, and modality settings that go together. */
final class ConfigValidator {

    /** The spellings of {@code btw.rule}, from {@link CombinationRule}. */
    static final List<String> RULES = spellings(CombinationRule.values(), CombinationRule::toString);

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:[0-9]{1,4}");

    private ConfigValidator() {}

    static void validate(BtwConfig c) {
        String src = c.source();
        validateSpellings(c);
        ModelConfig m = c.model();
        positive(src, "model.hidden", m.hidden());
        positive(src, "model.layers", m.layers());
        positive(src, "model.experts", m.experts());
        positive(src, "model.expert_hidden", m.expertHidden());
        positive(src, "model.ff_hidden", m.ffHidden());
        positive(src, "model.head_hidden", m.headHidden());
        if (m.topK() < 1 || m.topK() > m.experts()) {
            throw new BtwException(src + ": config key 'model.top_k' must be between 1 and model.experts ("
                    + m.experts() + "), got " + m.topK());
        }
        range(src, "model.dropout", m.dropout(), 0, 1);
        range(src, "model.load_balance", m.loadBalance(), 0, Double.MAX_VALUE);

        BtwSettings b = c.btw();
        range(src, "btw.sigma_min", b.sigmaMin(), 0, Double.MAX_VALUE);
        positive(src, "btw.k", b.k());
        range(src, "btw.smoothing.initial", b.smoothingInitial(), 0, 1);
        range(src, "btw.smoothing.step", b.smoothingStep(), 0, 1);
        range(src, "btw.folds", b.folds(), 2, 1000);
        if (b.foldGroup() != null && b.foldGroup().isBlank()) {
            throw new BtwException(src + ": config key 'btw.fold_group' must name a manifest column, got ''");
        }

        TrainConfig t = c.train();
        positive(src, "train.epochs", t.epochs());
        positive(src, "train.batch", t.batch());
        range(src, "train.lr", t.lr(), Double.MIN_VALUE, Double.MAX_VALUE);
        range(src, "train.weight_decay", t.weightDecay(), 0, Double.MAX_VALUE);
        range(src, "train.clip", t.clip(), 0, Double.MAX_VALUE);
        positive(src, "train.patience", t.patience());
        range(src, "train.lr_factor", t.lrFactor(), Double.MIN_VALUE, 1);
        positive(src, "train.lr_patience", t.lrPatience());
        if (t.seeds().isEmpty()) {
            throw new BtwException(src + ": config key 'train.seeds' needs at least one seed");
        }
        device(src, "train.device", t.device());
        range(src, "train.threads", t.threads(), 0, 4096);

        EncodeConfig e = c.encode();
        positive(src, "encode.batch", e.batch());
        range(src, "encode.threads", e.threads(), 0, 4096);
        device(src, "encode.device", e.device());

        for (ModalityConfig mod : c.modalities().values()) {
            validateModality(src, mod);
        }
    }

    /**
     * Checks every enumerated key against its enum's config spellings (exact, case-sensitive), before the
     * typed sections parse them.
     */
    @SuppressWarnings("unchecked")
    private static void validateSpellings(BtwConfig c) {
        String src = c.source();
        Map<String, Object> tree = c.asMap();
        oneOf(src, "task", c.string("task"), spellings(Task.values(), Task::toString));
        Map<String, Object> model = (Map<String, Object>) tree.get("model");
        oneOf(
                src,
                "model.gating",
                (String) model.get("gating"),
                spellings(GatingKind.values(), GatingKind::configName));
        Map<String, Object> btw = (Map<String, Object>) tree.get("btw");
        oneOf(src, "btw.rule", (String) btw.get("rule"), RULES);
        oneOf(src, "btw.sigma", (String) btw.get("sigma"), spellings(SigmaPolicy.values(), SigmaPolicy::toString));
        oneOf(
                src,
                "btw.trigger",
                (String) btw.get("trigger"),
                spellings(RefreshTrigger.values(), RefreshTrigger::toString));
        oneOf(
                src,
                "btw.inference",
                (String) btw.get("inference"),
                spellings(InferencePolicy.values(), InferencePolicy::toString));
        oneOf(src, "btw.scale", (String) btw.get("scale"), spellings(WeightScale.values(), WeightScale::toString));
        oneOf(
                src,
                "btw.references",
                (String) btw.get("references"),
                spellings(ReferencePolicy.values(), ReferencePolicy::toString));
    }

    private static <E extends Enum<E>> List<String> spellings(E[] values, Function<E, String> spelling) {
        return Arrays.stream(values).map(spelling).toList();
    }

    private static void validateModality(String src, ModalityConfig mod) {
        String key = "modalities." + mod.name();
        if (mod.encoder() == null || mod.encoder().isBlank()) {
            throw new BtwException(src + ": config key '" + key + ".encoder' is required (a spec name under "
                    + "models/, a spec folder, 'columns' or 'vectors')");
        }
        oneOf(src, key + ".time_pooling", mod.timePooling(), Set.of("mean", "max"));
        range(src, key + ".fine_tune_lr", mod.fineTuneLr(), Double.MIN_VALUE, 1000);
        range(src, key + ".fine_tune_freeze_epochs", mod.fineTuneFreezeEpochs(), 0, Integer.MAX_VALUE);
        range(src, key + ".frames", mod.frames(), 1, 10_000);
        range(src, key + ".fps", mod.fps(), 0, 1000);
        range(src, key + ".max_frames", mod.maxFrames(), 1, 10_000);
        range(src, key + ".max_seconds", mod.maxSeconds(), Double.MIN_VALUE, 1e7);
        if (mod.fineTune() && (mod.isTabular() || "vectors".equals(mod.encoder()))) {
            throw new BtwException(src + ": config key '" + key + ".fine_tune' needs an encoder with parameters (a "
                    + "TorchScript spec); encoder '" + mod.encoder() + "' has none to train. Set fine_tune: false");
        }
        if (mod.matrixIds() != null && mod.matrix() == null) {
            throw new BtwException(src + ": config key '" + key + ".matrix_ids' needs '" + key + ".matrix'");
        }
        if (mod.isMatrix()) {
            if (!"vectors".equals(mod.encoder())) {
                throw new BtwException(
                        src + ": config key '" + key + ".matrix' needs encoder 'vectors', got '" + mod.encoder() + "'");
            }
            if (mod.column() != null) {
                throw new BtwException(src + ": config key '" + key + "' needs exactly one of 'column' (vectors in "
                        + "the manifest) or 'matrix' (one .npy file)");
            }
        } else if (mod.isTabular()) {
            if (mod.columns().isEmpty() == (mod.pattern() == null)) {
                throw new BtwException(src + ": config key '" + key
                        + "' needs exactly one of 'columns' (a list) or 'pattern' (a regex) for encoder 'columns'");
            }
            if (mod.pattern() != null) {
                try {
                    Pattern.compile(mod.pattern());
                } catch (PatternSyntaxException ex) {
                    throw new BtwException(
                            src + ": config key '" + key + ".pattern' is not a valid regex: " + ex.getDescription());
                }
            }
        } else if (mod.column() == null) {
            throw new BtwException(src + ": config key '" + key + ".column' is required for encoder '"
                    + mod.encoder() + "' (the manifest column holding the input"
                    + ("vectors".equals(mod.encoder()) ? "; or 'matrix', one .npy file of every vector)" : ")"));
        }
    }

    private static void oneOf(String src, String key, String value, Collection<String> allowed) {
        if (!allowed.contains(value)) {
            throw new BtwException(src + ": config key '" + key + "' must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + "; got '" + value + "'");
        }
    }

    private static void device(String src, String key, String value) {
        if (value == null || !DEVICE.matcher(value).matches()) {
            throw new BtwException(src + ": config key '" + key + "' must be auto, cpu, gpu or gpu:N (N a GPU index "
                    + "from 0); got '" + value + "'");
        }
    }

    private static void positive(String src, String key, int value) {
        if (value < 1) {
            throw new BtwException(src + ": config key '" + key + "' must be at least 1, got " + value);
        }
    }

    private static void range(String src, String key, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new BtwException(
                    src + ": config key '" + key + "' must be between " + lo + " and " + hi + ", got " + value);
        }
    }
}

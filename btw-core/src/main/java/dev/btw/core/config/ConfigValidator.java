package dev.btw.core.config;

import dev.btw.core.BtwException;
import dev.btw.core.weights.ReferencePolicy;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks the values of a merged config: enumerations, ranges, and modality settings that go together. */
final class ConfigValidator {

    static final List<String> RULES = List.of("kl*mi", "exp(-kl)*mi", "kl", "mi", "cc", "kl*cc", "uniform");

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:[0-9]{1,4}");

    private ConfigValidator() {}

    static void validate(BtwConfig c) {
        String src = c.source();
        oneOf(src, "task", c.task(), Set.of("regression", "classification"));
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
        oneOf(src, "model.gating", m.gating(), Set.of("laplace", "softmax"));
        range(src, "model.dropout", m.dropout(), 0, 1);
        range(src, "model.load_balance", m.loadBalance(), 0, Double.MAX_VALUE);

        BtwSettings b = c.btw();
        oneOf(src, "btw.rule", b.rule(), RULES);
        oneOf(src, "btw.sigma", b.sigma(), Set.of("residual", "global"));
        oneOf(src, "btw.trigger", b.trigger(), Set.of("val-improved", "every-epoch"));
        oneOf(src, "btw.inference", b.inference(), Set.of("modality-prior", "instance", "uniform"));
        oneOf(src, "btw.scale", b.scale(), Set.of("sum-to-one", "mean-one"));
        range(src, "btw.sigma_min", b.sigmaMin(), 0, Double.MAX_VALUE);
        positive(src, "btw.k", b.k());
        range(src, "btw.smoothing.initial", b.smoothingInitial(), 0, 1);
        range(src, "btw.smoothing.step", b.smoothingStep(), 0, 1);
        oneOf(src, "btw.references", b.references(), java.util.Arrays.stream(ReferencePolicy.values())
                .map(ReferencePolicy::toString).toList());
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

    private static void validateModality(String src, ModalityConfig mod) {
        String key = "modalities." + mod.name();
        if (mod.encoder() == null || mod.encoder().isBlank()) {
            throw new BtwException(src + ": config key '" + key + ".encoder' is required (a spec name under "
                    + "models/, a spec folder, 'columns' or 'vectors')");
        }
        oneOf(src, key + ".time_pooling", mod.timePooling(), Set.of("mean", "max"));
        range(src, key + ".fine_tune_lr", mod.fineTuneLr(), Double.MIN_VALUE, 1000);
        range(src, key + ".fine_tune_freeze_epochs", mod.fineTuneFreezeEpochs(), 0, Integer.MAX_VALUE);
        if (mod.fineTune() && (mod.isTabular() || "vectors".equals(mod.encoder()))) {
            throw new BtwException(src + ": config key '" + key + ".fine_tune' needs an encoder with parameters (a "
                    + "TorchScript spec); encoder '" + mod.encoder() + "' has none to train. Set fine_tune: false");
        }
        if (mod.matrixIds() != null && mod.matrix() == null) {
            throw new BtwException(src + ": config key '" + key + ".matrix_ids' needs '" + key + ".matrix'");
        }
        if (mod.isMatrix()) {
            if (!"vectors".equals(mod.encoder())) {
                throw new BtwException(src + ": config key '" + key + ".matrix' needs encoder 'vectors', got '"
                        + mod.encoder() + "'");
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
                    throw new BtwException(src + ": config key '" + key + ".pattern' is not a valid regex: "
                            + ex.getDescription());
                }
            }
        } else if (mod.column() == null) {
            throw new BtwException(src + ": config key '" + key + ".column' is required for encoder '"
                    + mod.encoder() + "' (the manifest column holding the input"
                    + ("vectors".equals(mod.encoder()) ? "; or 'matrix', one .npy file of every vector)" : ")"));
        }
    }

    private static void oneOf(String src, String key, String value, java.util.Collection<String> allowed) {
        if (!allowed.contains(value)) {
            throw new BtwException(src + ": config key '" + key + "' must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; got '" + value + "'");
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
            throw new BtwException(src + ": config key '" + key + "' must be between " + lo + " and " + hi
                    + ", got " + value);
        }
    }
}

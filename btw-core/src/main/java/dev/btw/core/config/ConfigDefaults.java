package dev.btw.core.config;

import dev.btw.core.Task;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightScale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default value of every configuration key. The type of each default is the type a user value must have
 * (a number where a number is expected, a list where a list is). {@code null} marks keys that have no default
 * value but accept a string. The {@code modalities} section maps user-chosen names to {@link #modality()} trees.
 */
public final class ConfigDefaults {

    /**
     * The defaults of the {@code model} section: the one source of the MoE fusion model's default sizes (btw-djl's
     * {@code MoeFusionSpec.Builder} reads them from here).
     */
    public static final ModelConfig MODEL =
            new ModelConfig(128, 2, 16, 2, GatingKind.LAPLACE, 768, 512, 128, 0.1, true, 0.0);

    /**
     * The defaults of the {@code btw} section: the one source of the weighting defaults (btw-djl's
     * {@code BtwOptions.defaults} reads them from here).
     */
    public static final BtwSettings BTW = new BtwSettings(
            CombinationRule.CONFIG_DEFAULT,
            SigmaPolicy.RESIDUAL,
            SigmaPolicy.DEFAULT_RELATIVE_FLOOR,
            3,
            RefreshTrigger.VAL_IMPROVED,
            InferencePolicy.MODALITY_PRIOR,
            0.5,
            0.05,
            WeightScale.SUM_TO_ONE,
            0,
            ReferencePolicy.IN_SAMPLE,
            5,
            null);

    private ConfigDefaults() {}

    /** @return a fresh, mutable tree holding every top-level key and its default */
    public static Map<String, Object> root() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("task", Task.REGRESSION.toString());
        root.put("classes", new ArrayList<>());
        root.put(
                "data",
                section(
                        "manifest", "manifest.csv",
                        "label", "label",
                        "id", "id",
                        "split", "split"));
        root.put("modalities", new LinkedHashMap<>());
        root.put(
                "model",
                section(
                        "hidden", MODEL.hidden(),
                        "layers", MODEL.layers(),
                        "experts", MODEL.experts(),
                        "top_k", MODEL.topK(),
                        "gating", MODEL.gating().configName(),
                        "expert_hidden", MODEL.expertHidden(),
                        "ff_hidden", MODEL.ffHidden(),
                        "head_hidden", MODEL.headHidden(),
                        "dropout", MODEL.dropout(),
                        "noisy_gating", MODEL.noisyGating(),
                        "load_balance", MODEL.loadBalance()));
        root.put(
                "btw",
                section(
                        "rule", BTW.rule().toString(),
                        "sigma", BTW.sigma().toString(),
                        "sigma_min", BTW.sigmaMin(),
                        "k", BTW.k(),
                        "trigger", BTW.trigger().toString(),
                        "inference", BTW.inference().toString(),
                        "smoothing", section("initial", BTW.smoothingInitial(), "step", BTW.smoothingStep()),
                        "scale", BTW.scale().toString(),
                        "seed", BTW.seed(),
                        "references", BTW.references().toString(),
                        "folds", BTW.folds(),
                        "fold_group", BTW.foldGroup()));
        root.put(
                "train",
                section(
                        "epochs",
                        40,
                        "batch",
                        32,
                        "lr",
                        1e-4,
                        "weight_decay",
                        1e-4,
                        "clip",
                        0.8,
                        "patience",
                        10,
                        "lr_factor",
                        0.5,
                        "lr_patience",
                        20,
                        "seeds",
                        new ArrayList<>(List.of(1111)),
                        "device",
                        "auto",
                        "threads",
                        0));
        root.put("encode", section("batch", 32, "store", "features", "threads", 0, "device", "cpu"));
        return root;
    }

    /** @return the keys one entry of {@code modalities} may hold, with their defaults */
    public static Map<String, Object> modality() {
        return section(
                "encoder",
                null,
                "column",
                null,
                "columns",
                new ArrayList<>(),
                "pattern",
                null,
                "pooling",
                null,
                "time_pooling",
                "mean",
                "fine_tune",
                false,
                "fine_tune_lr",
                0.1,
                "fine_tune_freeze_epochs",
                0,
                "matrix",
                null,
                "matrix_ids",
                null,
                "frames",
                ModalityConfig.DEFAULT_FRAMES,
                "fps",
                0.0,
                "max_frames",
                64,
                "max_seconds",
                600.0);
    }

    private static Map<String, Object> section(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}

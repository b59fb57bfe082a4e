package dev.btw.core.config;

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

    private ConfigDefaults() {}

    /** @return a fresh, mutable tree holding every top-level key and its default */
    public static Map<String, Object> root() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("task", "regression");
        root.put("classes", new ArrayList<>());
        root.put("data", section(
                "manifest", "manifest.csv",
                "label", "label",
                "id", "id",
                "split", "split"));
        root.put("modalities", new LinkedHashMap<>());
        root.put("model", section(
                "hidden", 128,
                "layers", 2,
                "experts", 16,
                "top_k", 2,
                "gating", "laplace",
                "expert_hidden", 768,
                "ff_hidden", 512,
                "head_hidden", 128,
                "dropout", 0.1,
                "noisy_gating", true,
                "load_balance", 0.0));
        root.put("btw", section(
                "rule", "exp(-kl)*mi",
                "sigma", "residual",
                "sigma_min", 1e-3,
                "k", 3,
                "trigger", "val-improved",
                "inference", "modality-prior",
                "smoothing", section("initial", 0.5, "step", 0.05),
                "scale", "sum-to-one",
                "seed", 0,
                "references", "in-sample",
                "folds", 5,
                "fold_group", null));
        root.put("train", section(
                "epochs", 40,
                "batch", 32,
                "lr", 1e-4,
                "weight_decay", 1e-4,
                "clip", 0.8,
                "patience", 10,
                "lr_factor", 0.5,
                "lr_patience", 20,
                "seeds", new ArrayList<>(List.of(1111)),
                "device", "auto",
                "threads", 0));
        root.put("encode", section(
                "batch", 32,
                "store", "features",
                "threads", 0,
                "device", "cpu"));
        return root;
    }

    /** @return the keys one entry of {@code modalities} may hold, with their defaults */
    public static Map<String, Object> modality() {
        return section(
                "encoder", null,
                "column", null,
                "columns", new ArrayList<>(),
                "pattern", null,
                "pooling", null,
                "time_pooling", "mean",
                "fine_tune", false,
                "fine_tune_lr", 0.1,
                "fine_tune_freeze_epochs", 0,
                "matrix", null,
                "matrix_ids", null);
    }

    private static Map<String, Object> section(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}

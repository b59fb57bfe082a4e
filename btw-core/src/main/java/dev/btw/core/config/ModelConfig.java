package dev.btw.core.config;

import java.util.Map;

/**
 * The {@code model} section: sizes of the MoE fusion model of docs/METHOD.md.
 *
 * @param hidden projection width d (default 128)
 * @param layers fusion blocks L
 * @param experts experts E, shared by all modalities
 * @param topK experts kept per instance
 * @param gating how a modality's gate scores the experts
 * @param expertHidden hidden width of each expert
 * @param ffHidden hidden width of the feed-forward step
 * @param headHidden hidden width of the head
 * @param dropout head dropout
 * @param noisyGating whether training adds gating noise
 * @param loadBalance weight of the load-balancing loss (0 disables it)
 */
public record ModelConfig(
        int hidden,
        int layers,
        int experts,
        int topK,
        GatingKind gating,
        int expertHidden,
        int ffHidden,
        int headHidden,
        double dropout,
        boolean noisyGating,
        double loadBalance) {

    static ModelConfig of(Map<String, Object> m) {
        return new ModelConfig(
                (Integer) m.get("hidden"),
                (Integer) m.get("layers"),
                (Integer) m.get("experts"),
                (Integer) m.get("top_k"),
                GatingKind.parse((String) m.get("gating")),
                (Integer) m.get("expert_hidden"),
                (Integer) m.get("ff_hidden"),
                (Integer) m.get("head_hidden"),
                (Double) m.get("dropout"),
                (Boolean) m.get("noisy_gating"),
                (Double) m.get("load_balance"));
    }
}

package dev.btw.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * One fusion layer: local mixing (a), the sparse MoE (b), then the block input added and the feed-forward step
 * (c); vectors of missing modalities are kept at zero. Children: {@code mixing} ({@link LocalMixingBlock}),
 * {@code moe} ({@link SparseMoeBlock}), {@code feed_forward} ({@link FeedForwardBlock}).
 */
public final class FusionLayerBlock extends FusionBlockBase {

    private final int modalities;
    private final int hidden;
    private final LocalMixingBlock mixing;
    private final SparseMoeBlock moe;
    private final FeedForwardBlock feedForward;

    /** @param spec the model spec */
    public FusionLayerBlock(MoeFusionSpec spec) {
        modalities = spec.modalityCount();
        hidden = spec.hidden();
        mixing = addChildBlock("mixing", new LocalMixingBlock(hidden));
        moe = addChildBlock("moe", new SparseMoeBlock(spec));
        feedForward = addChildBlock("feed_forward", new FeedForwardBlock(hidden, spec.ffHidden()));
    }

    /**
     * @param ps the parameter store
     * @param h vectors per modality, {@code [M, B, d]}
     * @param present presence flags laid out {@code m * B + b}
     * @param mask3 presence as {@code [M, B, 1]}
     * @param training whether training
     * @param noise the Java noise source, or null
     * @return the layer output {@code [M, B, d]} and the MoE's auxiliary loss
     */
    public SparseMoeBlock.Output apply(
            ParameterStore ps, NDArray h, float[] present, NDArray mask3, boolean training, TrainingNoise noise) {
        long batch = h.getShape().get(1);
        NDArray a = mixing.applySingle(ps, h.reshape(modalities * batch, hidden), training)
                .reshape(modalities, batch, hidden);
        SparseMoeBlock.Output m = moe.apply(ps, a, present, mask3, training, noise);
        NDArray out = feedForward.applySingle(ps, m.value().add(h), training).mul(mask3);
        return new SparseMoeBlock.Output(out, m.auxLoss());
    }
}

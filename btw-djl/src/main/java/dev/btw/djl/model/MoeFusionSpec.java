package dev.btw.djl.model;

import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.config.GatingKind;
import dev.btw.core.config.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sizes and options of a {@link MoeFusionBlock}: the modalities (by name, in input order) with their embedding
 * widths, and every number of docs/METHOD.md's model. Defaults are the reference's.
 *
 * <pre>{@code
 * MoeFusionSpec spec = MoeFusionSpec.builder()
 *         .addModality("text", 384).addModality("audio", 96)
 *         .setOutputs(1).optExperts(16).optTopK(2).build();
 * }</pre>
 */
public final class MoeFusionSpec {

    private final LinkedHashMap<String, Integer> modalities;
    private final int outputs;
    private final int hidden;
    private final int layers;
    private final int experts;
    private final int topK;
    private final int expertHidden;
    private final int ffHidden;
    private final int headHidden;
    private final float dropout;
    private final GatingKind gating;
    private final boolean noisyGating;
    private final float noiseEpsilon;
    private final float loadBalance;

    private MoeFusionSpec(Builder b) {
        if (b.modalities.isEmpty()) {
            throw new IllegalArgumentException("a fusion model needs at least one modality");
        }
        if (b.outputs < 1) {
            throw new IllegalArgumentException("outputs must be at least 1");
        }
        if (b.topK < 1 || b.topK > b.experts) {
            throw new IllegalArgumentException("top_k must be between 1 and the number of experts");
        }
        modalities = new LinkedHashMap<>(b.modalities);
        outputs = b.outputs;
        hidden = b.hidden;
        layers = b.layers;
        experts = b.experts;
        topK = b.topK;
        expertHidden = b.expertHidden;
        ffHidden = b.ffHidden;
        headHidden = b.headHidden;
        dropout = b.dropout;
        gating = b.gating;
        noisyGating = b.noisyGating;
        noiseEpsilon = b.noiseEpsilon;
        loadBalance = b.loadBalance;
    }

    /**
     * The spec a config's {@code model} section describes for the given modality widths.
     *
     * @param m the model section
     * @param dims embedding width per modality, in input order
     * @param outputs 1 for regression, the class count for classification
     * @return the spec
     */
    public static MoeFusionSpec of(ModelConfig m, Map<String, Integer> dims, int outputs) {
        Builder b = builder();
        dims.forEach(b::addModality);
        return b.setOutputs(outputs)
                .optHidden(m.hidden())
                .optLayers(m.layers())
                .optExperts(m.experts())
                .optTopK(m.topK())
                .optExpertHidden(m.expertHidden())
                .optFfHidden(m.ffHidden())
                .optHeadHidden(m.headHidden())
                .optDropout((float) m.dropout())
                .optGating(m.gating())
                .optNoisyGating(m.noisyGating())
                .optLoadBalance((float) m.loadBalance())
                .build();
    }

    /** @return a builder with the reference defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this spec's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.modalities.putAll(modalities);
        b.outputs = outputs;
        b.hidden = hidden;
        b.layers = layers;
        b.experts = experts;
        b.topK = topK;
        b.expertHidden = expertHidden;
        b.ffHidden = ffHidden;
        b.headHidden = headHidden;
        b.dropout = dropout;
        b.gating = gating;
        b.noisyGating = noisyGating;
        b.noiseEpsilon = noiseEpsilon;
        b.loadBalance = loadBalance;
        return b;
    }

    /**
     * The same model restricted to one modality: the unimodal reference of docs/METHOD.md.
     *
     * @param modality the modality's name
     * @return the spec with only that modality
     */
    public MoeFusionSpec restrictTo(String modality) {
        Integer dim = modalities.get(modality);
        if (dim == null) {
            throw new IllegalArgumentException("unknown modality " + modality);
        }
        Builder b = toBuilder();
        b.modalities.clear();
        b.modalities.put(modality, dim);
        return b.build();
    }

    /** @return the modality names in input order */
    public List<String> modalityNames() {
        return new ArrayList<>(modalities.keySet());
    }

    /** @return the modality count M */
    public int modalityCount() {
        return modalities.size();
    }

    /**
     * @param modality a modality name
     * @return its embedding width
     */
    public int inputDim(String modality) {
        return modalities.get(modality);
    }

    /** @return modality name to embedding width, in input order */
    public Map<String, Integer> inputDims() {
        return new LinkedHashMap<>(modalities);
    }

    /** @return head outputs: 1 for regression, C logits for classification */
    public int outputs() {
        return outputs;
    }

    /** @return projection width d */
    public int hidden() {
        return hidden;
    }

    /** @return fusion layers L */
    public int layers() {
        return layers;
    }

    /** @return experts E (shared by all modalities) */
    public int experts() {
        return experts;
    }

    /** @return experts kept per token */
    public int topK() {
        return topK;
    }

    /** @return the experts' hidden width */
    public int expertHidden() {
        return expertHidden;
    }

    /** @return the feed-forward step's hidden width */
    public int ffHidden() {
        return ffHidden;
    }

    /** @return the head's hidden width */
    public int headHidden() {
        return headHidden;
    }

    /** @return the head's dropout probability */
    public float dropout() {
        return dropout;
    }

    /** @return the gating kind */
    public GatingKind gating() {
        return gating;
    }

    /** @return whether training adds gating noise */
    public boolean noisyGating() {
        return noisyGating;
    }

    /** @return the floor added to the gating noise's standard deviation */
    public float noiseEpsilon() {
        return noiseEpsilon;
    }

    /** @return the load-balancing loss coefficient (0: off) */
    public float loadBalance() {
        return loadBalance;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MoeFusionSpec s)) {
            return false;
        }
        // the modalities' order is the input order, so it is part of the spec
        return new ArrayList<>(modalities.entrySet()).equals(new ArrayList<>(s.modalities.entrySet()))
                && outputs == s.outputs
                && hidden == s.hidden
                && layers == s.layers
                && experts == s.experts
                && topK == s.topK
                && expertHidden == s.expertHidden
                && ffHidden == s.ffHidden
                && headHidden == s.headHidden
                && Float.compare(dropout, s.dropout) == 0
                && gating == s.gating
                && noisyGating == s.noisyGating
                && Float.compare(noiseEpsilon, s.noiseEpsilon) == 0
                && Float.compare(loadBalance, s.loadBalance) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                new ArrayList<>(modalities.entrySet()),
                outputs,
                hidden,
                layers,
                experts,
                topK,
                expertHidden,
                ffHidden,
                headHidden,
                dropout,
                gating,
                noisyGating,
                noiseEpsilon,
                loadBalance);
    }

    @Override
    public String toString() {
        return "MoeFusionSpec" + modalities + " outputs=" + outputs + " hidden=" + hidden + " layers=" + layers
                + " experts=" + experts + " topK=" + topK + " expertHidden=" + expertHidden + " ffHidden="
                + ffHidden + " headHidden=" + headHidden + " dropout=" + dropout + " gating=" + gating
                + " noisy=" + noisyGating + " loadBalance=" + loadBalance;
    }

    /** Builds a {@link MoeFusionSpec}: {@code set*} for the required values, {@code opt*} for the rest. */
    public static final class Builder {
        private final LinkedHashMap<String, Integer> modalities = new LinkedHashMap<>();
        private int outputs = 1;
        // The defaults are the config's (ConfigDefaults.MODEL), so that a spec built in code and one built
        // from a default config agree.
        private int hidden = ConfigDefaults.MODEL.hidden();
        private int layers = ConfigDefaults.MODEL.layers();
        private int experts = ConfigDefaults.MODEL.experts();
        private int topK = ConfigDefaults.MODEL.topK();
        private int expertHidden = ConfigDefaults.MODEL.expertHidden();
        private int ffHidden = ConfigDefaults.MODEL.ffHidden();
        private int headHidden = ConfigDefaults.MODEL.headHidden();
        private float dropout = (float) ConfigDefaults.MODEL.dropout();
        private GatingKind gating = ConfigDefaults.MODEL.gating();
        private boolean noisyGating = ConfigDefaults.MODEL.noisyGating();
        private float noiseEpsilon = 0.01f;
        private float loadBalance = (float) ConfigDefaults.MODEL.loadBalance();

        private Builder() {}

        /**
         * Adds a modality (input order is the order of calls).
         *
         * @param name a unique name
         * @param inputDim its embedding width
         * @return this builder
         */
        public Builder addModality(String name, int inputDim) {
            if (modalities.containsKey(name)) {
                throw new IllegalArgumentException("duplicate modality " + name);
            }
            if (inputDim < 1) {
                throw new IllegalArgumentException("modality " + name + " needs a positive width");
            }
            modalities.put(name, inputDim);
            return this;
        }

        /**
         * @param outputs 1 for regression, the class count for classification
         * @return this builder
         */
        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /**
         * @param hidden projection width d (128)
         * @return this builder
         */
        public Builder optHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * @param layers fusion layers (2)
         * @return this builder
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * @param experts experts shared by all modalities (16)
         * @return this builder
         */
        public Builder optExperts(int experts) {
            this.experts = experts;
            return this;
        }

        /**
         * @param topK experts kept per token (2)
         * @return this builder
         */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /**
         * @param expertHidden experts' hidden width (768)
         * @return this builder
         */
        public Builder optExpertHidden(int expertHidden) {
            this.expertHidden = expertHidden;
            return this;
        }

        /**
         * @param ffHidden feed-forward hidden width (512)
         * @return this builder
         */
        public Builder optFfHidden(int ffHidden) {
            this.ffHidden = ffHidden;
            return this;
        }

        /**
         * @param headHidden head hidden width (128)
         * @return this builder
         */
        public Builder optHeadHidden(int headHidden) {
            this.headHidden = headHidden;
            return this;
        }

        /**
         * @param dropout head dropout (0.1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * @param gating Laplace (default) or softmax
         * @return this builder
         */
        public Builder optGating(GatingKind gating) {
            this.gating = gating;
            return this;
        }

        /**
         * @param noisyGating whether training adds gating noise (true)
         * @return this builder
         */
        public Builder optNoisyGating(boolean noisyGating) {
            this.noisyGating = noisyGating;
            return this;
        }

        /**
         * @param noiseEpsilon floor of the noise standard deviation (0.01)
         * @return this builder
         */
        public Builder optNoiseEpsilon(float noiseEpsilon) {
            this.noiseEpsilon = noiseEpsilon;
            return this;
        }

        /**
         * @param loadBalance load-balancing loss coefficient (0: off)
         * @return this builder
         */
        public Builder optLoadBalance(float loadBalance) {
            this.loadBalance = loadBalance;
            return this;
        }

        /** @return the spec */
        public MoeFusionSpec build() {
            return new MoeFusionSpec(this);
        }
    }
}

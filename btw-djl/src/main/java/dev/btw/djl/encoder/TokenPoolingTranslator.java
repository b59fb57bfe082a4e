package dev.btw.djl.encoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts to pooled token embeddings: DJL's HuggingFace tokenizer builds {@code input_ids}, {@code attention_mask}
 * and {@code token_type_ids}; the model's [B, T, D] output is mean-pooled over the mask (or its first token taken)
 * on the Java side. DJL's own {@code TextEmbeddingTranslator} does the same pooling with NDArray operations, which
 * ONNX Runtime arrays lack, so DJL copies every batch's output into PyTorch first; that copy cost about 14 % of
 * MiniLM's throughput here, more than the 10 % overhead budget, so this translator pools plain floats instead.
 */
final class TokenPoolingTranslator implements Translator<String, float[]> {

    private static final String MASK = "attention_mask";

    private final HuggingFaceTokenizer tokenizer;
    private final boolean cls;

    TokenPoolingTranslator(HuggingFaceTokenizer tokenizer, String pooling) {
        if (!pooling.equals("mean") && !pooling.equals("cls")) {
            throw new IllegalArgumentException("text pooling must be mean or cls, got '" + pooling + "'");
        }
        this.tokenizer = tokenizer;
        this.cls = pooling.equals("cls");
    }

    /** @return a batchifier, so that DJL hands whole batches to {@link #batchProcessInput} */
    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs) {
        TokenBatch tb = TokenBatch.of(tokenizer.batchEncode(inputs));
        int b = tb.batch();
        int t = tb.tokens();
        long[] ids = tb.ids();
        long[] mask = tb.mask();
        long[] types = tb.types();
        ctx.setAttachment(MASK, mask);
        NDManager m = ctx.getNDManager();
        Shape shape = new Shape(b, t);
        NDArray a = m.create(ids, shape);
        a.setName("input_ids");
        NDArray k = m.create(mask, shape);
        k.setName(MASK);
        NDArray y = m.create(types, shape);
        y.setName("token_type_ids");
        return new NDList(a, k, y);
    }

    @Override
    public List<float[]> batchProcessOutput(TranslatorContext ctx, NDList list) {
        NDArray hidden = list.contains("last_hidden_state") ? list.get("last_hidden_state") : list.head();
        long[] shape = hidden.getShape().getShape();
        int b = (int) shape[0];
        int t = (int) shape[1];
        int d = (int) shape[2];
        long[] mask = (long[]) ctx.getAttachment(MASK);
        return pool(hidden.toFloatArray(), mask, b, t, d, cls);
    }

    /**
     * Pools token vectors per instance: the mean over the attention mask, or the first (CLS) token.
     *
     * @param h hidden states {@code [b, t, d]}, row-major
     * @param mask attention mask {@code [b, t]}
     * @param b instances
     * @param t tokens
     * @param d width
     * @param cls take the first token instead of the masked mean
     * @return one vector per instance
     */
    static List<float[]> pool(float[] h, long[] mask, int b, int t, int d, boolean cls) {
        List<float[]> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            float[] v = new float[d];
            int n = 0;
            for (int k = 0; k < (cls ? 1 : t); k++) {
                if (mask[i * t + k] == 0) {
                    continue;
                }
                n++;
                int base = (i * t + k) * d;
                for (int j = 0; j < d; j++) {
                    v[j] += h[base + j];
                }
            }
            for (int j = 0; j < d; j++) {
                v[j] /= Math.max(n, 1);
            }
            out.add(v);
        }
        return out;
    }
}

package dev.btw.djl.encoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TextEncoder}'s computation with ONNX Runtime's Java API called directly (same tokenizer, same pooling over
 * the attention mask): the baseline of {@code btw bench encode}.
 */
final class OrtTextEncoder extends BatchEncoder<String> {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean cls;

    OrtTextEncoder(
            String name,
            String fingerprint,
            Path model,
            Path tokenizerJson,
            int maxLength,
            String pooling,
            int dimension,
            int threads) {
        super(name, dimension, fingerprint);
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of("maxLength", Integer.toString(maxLength), "truncation", "true", "padding", "true"));
        } catch (IOException e) {
            throw new BtwException("encoder " + name + ": cannot read tokenizer: " + e.getMessage(), e);
        }
        this.session = OrtSessions.open(env, model, threads);
        this.cls = pooling.equals("cls");
    }

    @Override
    String prepare(EncoderInput input) {
        return input.value();
    }

    @Override
    String shapeOf(String text) {
        return text.length() + " characters";
    }

    @Override
    List<float[]> run(List<String> batch) throws OrtException {
        TokenBatch tb = TokenBatch.of(tokenizer.batchEncode(batch));
        int b = tb.batch();
        int t = tb.tokens();
        long[] ids = tb.ids();
        long[] mask = tb.mask();
        long[] types = tb.types();
        long[] shape = {b, t};
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            try (OrtSession.Result r = session.run(in)) {
                FloatBuffer buffer = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] h = new float[buffer.remaining()];
                buffer.get(h);
                return TokenPoolingTranslator.pool(h, mask, b, t, dimension(), cls);
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing: nothing to recover
        }
        tokenizer.close();
    }
}

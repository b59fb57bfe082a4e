package dev.btw.djl.encoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.repository.zoo.ZooModel;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.spec.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A transformer text encoder: DJL's HuggingFace tokenizer and a {@link TokenPoolingTranslator} (mean or CLS
 * pooling over the attention mask) over an ONNX or TorchScript model with {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids} inputs.
 */
public final class TextEncoder extends BatchEncoder<String> {

    private final HuggingFaceTokenizer tokenizer;
    private final Predictors<String, float[]> predictors;

    /**
     * @param name the encoder's name
     * @param fingerprint its fingerprint
     * @param engine the engine
     * @param model the model file
     * @param tokenizerJson the {@code tokenizer.json}
     * @param maxLength the maximum number of tokens
     * @param pooling {@code mean} or {@code cls}
     * @param dimension the vector length
     * @param options run settings
     */
    public TextEncoder(
            String name,
            String fingerprint,
            Engine engine,
            Path model,
            Path tokenizerJson,
            int maxLength,
            String pooling,
            int dimension,
            EncoderOptions options) {
        super(name, dimension, fingerprint);
        this.tokenizer = newTokenizer(name, tokenizerJson, maxLength);
        TokenPoolingTranslator translator = new TokenPoolingTranslator(tokenizer, pooling);
        ZooModel<String, float[]> zoo =
                ModelLoader.load(name, engine, model, String.class, float[].class, translator, options);
        this.predictors = new Predictors<>(zoo);
    }

    /**
     * The tokenizer as btw's text encoders use it: truncation to {@code maxLength}, padding to the longest text of
     * a batch.
     *
     * @param name the encoder's name, for messages
     * @param tokenizerJson the {@code tokenizer.json}
     * @param maxLength the maximum number of tokens
     * @return the tokenizer
     * @throws BtwException when the file cannot be read
     */
    public static HuggingFaceTokenizer newTokenizer(String name, Path tokenizerJson, int maxLength) {
        try {
            return HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of("maxLength", Integer.toString(maxLength), "truncation", "true", "padding", "true"));
        } catch (IOException | RuntimeException e) {
            throw new BtwException(
                    "encoder " + name + ": cannot read tokenizer " + tokenizerJson.getFileName() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    String prepare(EncoderInput input) {
        return input.value();
    }

    @Override
    String shapeOf(String text) {
        int tokens = tokenizer.encode(text).getIds().length;
        return "input_ids [1, " + tokens + "] int64, " + text.length() + " characters";
    }

    @Override
    List<float[]> run(List<String> batch) throws Exception {
        return predictors.get().batchPredict(batch);
    }

    @Override
    public void close() {
        predictors.close();
        tokenizer.close();
    }
}

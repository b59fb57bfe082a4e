package dev.btw.djl.encoder.spec;

/**
 * Text through a HuggingFace {@code tokenizer.json}, with DJL's tokenizers.
 *
 * @param tokenizer the key in the spec's {@code files} that holds the {@code tokenizer.json}
 * @param maxLength the maximum number of tokens; longer texts are truncated
 */
public record TextPreprocess(String tokenizer, int maxLength) implements Preprocess {

    @Override
    public String canonical() {
        return "text(tokenizer=" + tokenizer + ",max_length=" + maxLength + ")";
    }
}

package dev.btw.djl.encoder.spec;

import java.util.function.Function;

/**
 * Text through a HuggingFace {@code tokenizer.json}, with DJL's tokenizers.
 *
 * @param tokenizer the key in the spec's {@code files} that holds the {@code tokenizer.json}
 * @param maxLength the maximum number of tokens; longer texts are truncated
 */
public record TextPreprocess(String tokenizer, int maxLength) implements Preprocess {

    @Override
    public <R> R match(
            Function<? super TextPreprocess, ? extends R> text,
            Function<? super AudioPreprocess, ? extends R> audio,
            Function<? super ImagePreprocess, ? extends R> image,
            Function<? super VideoPreprocess, ? extends R> video) {
        return text.apply(this);
    }

    @Override
    public String canonical() {
        return "text(tokenizer=" + tokenizer + ",max_length=" + maxLength + ")";
    }
}

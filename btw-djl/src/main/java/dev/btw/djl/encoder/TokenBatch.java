package dev.btw.djl.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import java.util.Arrays;
import java.util.List;

/**
 * A tokenised batch as the transformer encoders take it: {@code input_ids}, {@code attention_mask} and
 * {@code token_type_ids}, row-major {@code [batch, tokens]}. The tokenizer pads every text of one call to the same
 * length; a missing row (null) is all zeros, i.e. an all-zero attention mask.
 *
 * @param ids token ids
 * @param mask attention mask
 * @param types token type ids
 * @param batch rows
 * @param tokens tokens per row
 */
public record TokenBatch(long[] ids, long[] mask, long[] types, int batch, int tokens) {

    /**
     * @param rows one padded encoding per row (all of one tokenizer call), or null for a missing row
     * @return the flat arrays
     */
    public static TokenBatch of(List<Encoding> rows) {
        int t = rows.stream()
                .filter(e -> e != null)
                .findFirst()
                .map(e -> e.getIds().length)
                .orElse(1);
        int b = rows.size();
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] types = new long[b * t];
        for (int i = 0; i < b; i++) {
            Encoding e = rows.get(i);
            if (e != null) {
                System.arraycopy(e.getIds(), 0, ids, i * t, t);
                System.arraycopy(e.getAttentionMask(), 0, mask, i * t, t);
                System.arraycopy(e.getTypeIds(), 0, types, i * t, t);
            }
        }
        return new TokenBatch(ids, mask, types, b, t);
    }

    /**
     * @param rows one padded encoding per row
     * @return the flat arrays
     */
    public static TokenBatch of(Encoding[] rows) {
        return of(Arrays.asList(rows));
    }
}

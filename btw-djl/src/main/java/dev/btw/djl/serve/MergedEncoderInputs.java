package dev.btw.djl.serve;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.btw.core.BtwException;
import dev.btw.djl.encoder.TextEncoder;
import dev.btw.djl.encoder.TokenBatch;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the graph inputs of the encoders inside an end-to-end model from raw values, with the same preprocessing
 * as btw's Java encoders: a text becomes token ids, attention mask and type ids (padded to the longest text of the
 * batch), an image file the normalised pixel tensor. A missing text is an all-zero row (mask 0), a missing image a
 * tensor of NaN; the graph turns either into a missing modality.
 */
final class MergedEncoderInputs implements AutoCloseable {

    private final Map<String, FusionModelInfo.MergedEncoder> merged;
    private final Map<String, EncoderSpec> specs = new LinkedHashMap<>();
    private final Map<String, HuggingFaceTokenizer> tokenizers = new LinkedHashMap<>();

    /**
     * @param info an end-to-end model's metadata
     * @param locator where encoder specs are found
     * @param fetcher where their files (the tokenizers) are cached
     */
    MergedEncoderInputs(FusionModelInfo info, SpecLocator locator, AssetFetcher fetcher) {
        this.merged = info.merged();
        for (Map.Entry<String, FusionModelInfo.MergedEncoder> e : merged.entrySet()) {
            EncoderSpec spec = locator.find(e.getValue().encoder(), null);
            specs.put(e.getKey(), spec);
            String modality = e.getKey();
            Preprocess pre = spec.preprocess();
            if (pre == null) {
                throw new BtwException("modality '" + modality + "': encoder " + spec.name()
                        + " has no preprocessing, which an end-to-end model cannot take");
            }
            pre.match(
                    t -> tokenizers.put(
                            modality,
                            TextEncoder.newTokenizer(
                                    spec.name(), fetcher.fetch(spec.file(t.tokenizer())), t.maxLength())),
                    a -> {
                        throw new BtwException("modality '" + modality + "': encoder " + spec.name() + " takes "
                                + a.canonical() + ", which an end-to-end model cannot take");
                    },
                    i -> null,
                    v -> {
                        throw new BtwException("modality '" + modality + "': encoder " + spec.name() + " takes "
                                + "video clips, which an end-to-end model cannot take");
                    });
        }
    }

    /**
     * @param manager where the arrays live
     * @param batch the instances
     * @return graph input name to its array, for every merged modality
     */
    Map<String, NDArray> arrays(NDManager manager, List<FusionInput> batch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, EncoderSpec> e : specs.entrySet()) {
            String modality = e.getKey();
            List<String> values = new ArrayList<>();
            batch.forEach(in -> values.add(in.raw().get(modality)));
            List<String> inputs = merged.get(modality).inputs();
            e.getValue()
                    .preprocess()
                    .match(
                            t -> {
                                text(manager, modality, values, inputs, out);
                                return null;
                            },
                            a -> {
                                throw new IllegalStateException("audio was refused when the inputs were built");
                            },
                            p -> out.put(inputs.get(0), images(manager, values, p)),
                            v -> {
                                throw new IllegalStateException("video was refused when the inputs were built");
                            });
        }
        return out;
    }

    private void text(
            NDManager manager, String modality, List<String> values, List<String> inputs, Map<String, NDArray> out) {
        List<String> present = values.stream().filter(v -> v != null).toList();
        Encoding[] enc =
                present.isEmpty() ? new Encoding[0] : tokenizers.get(modality).batchEncode(present);
        List<Encoding> rows = new ArrayList<>();
        for (int i = 0, k = 0; i < values.size(); i++) {
            rows.add(values.get(i) == null ? null : enc[k++]);
        }
        TokenBatch tb = TokenBatch.of(rows);
        for (String input : inputs) {
            String role = input.substring(input.indexOf('/') + 1);
            long[] data = switch (role) {
                case "input_ids" -> tb.ids();
                case "attention_mask" -> tb.mask();
                case "token_type_ids" -> tb.types();
                default ->
                    throw new BtwException("modality '" + modality + "': the model's text input '" + input
                            + "' is none of input_ids, attention_mask, token_type_ids");
            };
            out.put(input, manager.create(data, new Shape(tb.batch(), tb.tokens())));
        }
    }

    private static NDArray images(NDManager manager, List<String> values, ImagePreprocess p) {
        int size = p.channels() * p.height() * p.width();
        float[] flat = new float[values.size() * size];
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                Arrays.fill(flat, i * size, (i + 1) * size, Float.NaN);
            } else {
                System.arraycopy(ImageLoader.load(Path.of(values.get(i)), p), 0, flat, i * size, size);
            }
        }
        return manager.create(flat, new Shape(values.size(), p.channels(), p.height(), p.width()));
    }

    @Override
    public void close() {
        tokenizers.values().forEach(HuggingFaceTokenizer::close);
    }
}

package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Engine;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Path;

/** Builds the {@link Encoder} a spec describes, fetching (and verifying) its files first. */
public final class Encoders {

    private Encoders() {}

    /**
     * @param spec an encoder spec
     * @param fetcher where model files come from
     * @param options run settings
     * @return the encoder; close it when done
     */
    public static Encoder load(EncoderSpec spec, AssetFetcher fetcher, EncoderOptions options) {
        return load(spec, fetcher, options, FrameSampling.DEFAULT.maxSeconds());
    }

    /**
     * @param spec an encoder spec
     * @param fetcher where model files come from
     * @param options run settings
     * @param maxSeconds for a clip encoder: the longest video file accepted, in seconds
     * @return the encoder; close it when done
     */
    public static Encoder load(EncoderSpec spec, AssetFetcher fetcher, EncoderOptions options, double maxSeconds) {
        Path model = fetcher.fetch(spec.file(EncoderSpec.MODEL));
        String fp = spec.fingerprint();
        Preprocess pre = needPreprocess(spec);
        return pre.match(
                t -> new TextEncoder(
                        spec.name(),
                        fp,
                        spec.engine(),
                        model,
                        fetcher.fetch(spec.file(t.tokenizer())),
                        t.maxLength(),
                        spec.pooling().type(),
                        spec.dimension(),
                        options),
                a -> {
                    if (spec.engine() != Engine.ONNX) {
                        throw new BtwException("encoder " + spec.name() + ": audio preprocessing needs engine onnx");
                    }
                    return new SpeechEncoder(
                            spec.name(),
                            fp,
                            new DjlTensorModel(
                                    spec.name(), Engine.ONNX, fetcher.fetch(spec.file(a.frontEnd())), "", "", options),
                            new DjlTensorModel(spec.name(), Engine.ONNX, model, "", "", options),
                            a,
                            spec.dimension());
                },
                i -> {
                    String input =
                            spec.inputs().isEmpty() ? "" : spec.inputs().get(0).name();
                    return new ImageEncoder(
                            spec.name(),
                            fp,
                            new DjlTensorModel(
                                    spec.name(),
                                    spec.engine(),
                                    model,
                                    input,
                                    spec.output(),
                                    spec.trainable() ? options.withTrainable() : options),
                            i,
                            spec.pooling(),
                            spec.dimension());
                },
                v -> {
                    String input =
                            spec.inputs().isEmpty() ? "" : spec.inputs().get(0).name();
                    return new ClipEncoder(
                            spec.name(),
                            fp,
                            new DjlTensorModel(spec.name(), spec.engine(), model, input, spec.output(), options),
                            v,
                            maxSeconds,
                            spec.pooling(),
                            spec.dimension());
                });
    }

    private static Preprocess needPreprocess(EncoderSpec spec) {
        if (spec.preprocess() == null) {
            throw new BtwException(
                    "encoder " + spec.name() + ": spec needs a preprocess section (text, audio, image or video)");
        }
        return spec.preprocess();
    }

    /**
     * The same encoder with every model run by ONNX Runtime's Java API directly instead of DJL: same
     * preprocessing, same pooling, same session threads. It exists to measure DJL's overhead
     * ({@code btw bench encode}); use {@link #load} otherwise.
     *
     * @param spec an ONNX encoder spec
     * @param fetcher where model files come from
     * @param threads intra-op threads, 0 for ONNX Runtime's default
     * @return the encoder
     */
    public static Encoder loadDirectOrt(EncoderSpec spec, AssetFetcher fetcher, int threads) {
        if (spec.engine() != Engine.ONNX) {
            throw new BtwException("encoder " + spec.name() + " is not an ONNX encoder");
        }
        Path model = fetcher.fetch(spec.file(EncoderSpec.MODEL));
        String fp = spec.fingerprint();
        return needPreprocess(spec)
                .match(
                        t -> new OrtTextEncoder(
                                spec.name(),
                                fp,
                                model,
                                fetcher.fetch(spec.file(t.tokenizer())),
                                t.maxLength(),
                                spec.pooling().type(),
                                spec.dimension(),
                                threads),
                        a -> new SpeechEncoder(
                                spec.name(),
                                fp,
                                new OrtTensorModel(fetcher.fetch(spec.file(a.frontEnd())), "", threads),
                                new OrtTensorModel(model, "", threads),
                                a,
                                spec.dimension()),
                        i -> new ImageEncoder(
                                spec.name(),
                                fp,
                                new OrtTensorModel(model, spec.output(), threads),
                                i,
                                spec.pooling(),
                                spec.dimension()),
                        v -> new ClipEncoder(
                                spec.name(),
                                fp,
                                new OrtTensorModel(model, spec.output(), threads),
                                v,
                                FrameSampling.DEFAULT.maxSeconds(),
                                spec.pooling(),
                                spec.dimension()));
    }
}

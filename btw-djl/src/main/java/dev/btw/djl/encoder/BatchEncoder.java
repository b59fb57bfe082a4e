package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.List;

/**
 * The common shape of model-backed encoders: prepare each input (read and preprocess its file), run the model on
 * the batch, check the vectors' length. When a batch fails, its instances are retried one by one so that the
 * error names the instance at fault. An input that cannot be read is bad input; a model that fails on a prepared
 * input is an internal failure ({@link EncoderException#modelFailed}).
 *
 * @param <P> the prepared form of one input
 */
abstract class BatchEncoder<P> implements Encoder {

    private final String name;
    private final int dimension;
    private final String fingerprint;

    BatchEncoder(String name, int dimension, String fingerprint) {
        this.name = name;
        this.dimension = dimension;
        this.fingerprint = fingerprint;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** Reads and preprocesses one input. */
    abstract P prepare(EncoderInput input) throws Exception;

    /** @return the shapes of a prepared input, in words, for error messages */
    abstract String shapeOf(P prepared);

    /** Runs the model on prepared inputs. */
    abstract List<float[]> run(List<P> batch) throws Exception;

    @Override
    public List<float[]> encode(List<EncoderInput> batch) {
        List<P> prepared = new ArrayList<>(batch.size());
        for (EncoderInput in : batch) {
            try {
                prepared.add(prepare(in));
            } catch (BtwException e) {
                throw e;
            } catch (Exception e) {
                throw new EncoderException(name, in.id(), "reading input '" + in.value() + "'", e);
            }
        }
        return runPrepared(batch.stream().map(EncoderInput::id).toList(), prepared);
    }

    /**
     * Runs the model on inputs already prepared, with the checks and the one-by-one retry of {@link #encode}.
     *
     * @param ids the instance id of each prepared input, for messages
     * @param prepared the prepared inputs
     * @return one vector per input
     */
    final List<float[]> runPrepared(List<String> ids, List<P> prepared) {
        List<float[]> out;
        try {
            out = run(prepared);
        } catch (Exception e) {
            if (prepared.size() == 1) {
                throw EncoderException.modelFailed(name, ids.get(0), shapeOf(prepared.get(0)), e);
            }
            out = new ArrayList<>(prepared.size());
            for (int i = 0; i < prepared.size(); i++) {
                try {
                    out.add(run(List.of(prepared.get(i))).get(0));
                } catch (Exception single) {
                    throw EncoderException.modelFailed(name, ids.get(i), shapeOf(prepared.get(i)), single);
                }
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).length != dimension) {
                throw new EncoderException(
                        name,
                        ids.get(i),
                        "output has " + out.get(i).length + " values, the spec says dimension " + dimension + " (input "
                                + shapeOf(prepared.get(i)) + ")");
            }
        }
        return out;
    }
}

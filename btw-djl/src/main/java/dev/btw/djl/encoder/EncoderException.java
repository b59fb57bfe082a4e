package dev.btw.djl.encoder;

import dev.btw.core.BtwException;

/**
 * A failure inside an encoder; the message names the encoder, the instance id and the shapes involved. An input
 * that cannot be read or decoded is bad input; a model that fails on a prepared input is internal (see
 * {@link #modelFailed}).
 */
public class EncoderException extends BtwException {

    private static final long serialVersionUID = 1L;

    private final boolean internal;

    /**
     * An input that cannot be read (bad input).
     *
     * @param encoder the encoder's name
     * @param id the instance id
     * @param shapes the shapes involved, in words (e.g. {@code input [1, 3, 48, 64] float32})
     * @param cause the underlying failure
     */
    public EncoderException(String encoder, String id, String shapes, Throwable cause) {
        this(encoder, id, shapes, cause, false);
    }

    private EncoderException(String encoder, String id, String shapes, Throwable cause, boolean internal) {
        super("encoder " + encoder + " failed on instance " + id + " (" + shapes + "): " + describe(cause), cause);
        this.internal = internal;
    }

    /**
     * @param encoder the encoder's name
     * @param id the instance id
     * @param what what went wrong, with shapes
     */
    public EncoderException(String encoder, String id, String what) {
        super("encoder " + encoder + " failed on instance " + id + ": " + what);
        this.internal = false;
    }

    /**
     * The model (the engine) failed on an input that was read and prepared: an internal failure, exit status 1.
     *
     * @param encoder the encoder's name
     * @param id the instance id
     * @param shapes the shapes of the prepared input, in words
     * @param cause the engine's failure
     * @return the exception
     */
    public static EncoderException modelFailed(String encoder, String id, String shapes, Throwable cause) {
        return new EncoderException(encoder, id, shapes, cause, true);
    }

    @Override
    protected boolean isInternalKind() {
        return internal;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // engines put the useful line last (TorchScript: "RuntimeError: ..." after a traceback)
        msg = msg.lines()
                .filter(l -> l.contains("Error:"))
                .reduce((a, b) -> b)
                .orElse(msg.lines().findFirst().orElse(""))
                .strip();
        return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
    }
}

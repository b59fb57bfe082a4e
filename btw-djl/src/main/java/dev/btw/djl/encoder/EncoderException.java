package dev.btw.djl.encoder;

import dev.btw.core.BtwException;

/** A failure inside an encoder; the message names the encoder, the instance id and the shapes involved. */
public class EncoderException extends BtwException {

    private static final long serialVersionUID = 1L;

    /**
     * @param encoder the encoder's name
     * @param id the instance id
     * @param shapes the shapes involved, in words (e.g. {@code input [1, 3, 48, 64] float32})
     * @param cause the underlying failure
     */
    public EncoderException(String encoder, String id, String shapes, Throwable cause) {
        super("encoder " + encoder + " failed on instance " + id + " (" + shapes + "): " + describe(cause), cause);
    }

    /**
     * @param encoder the encoder's name
     * @param id the instance id
     * @param what what went wrong, with shapes
     */
    public EncoderException(String encoder, String id, String what) {
        super("encoder " + encoder + " failed on instance " + id + ": " + what);
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // engines put the useful line last (TorchScript: "RuntimeError: ..." after a traceback)
        msg = msg.lines().filter(l -> l.contains("Error:")).reduce((a, b) -> b)
                .orElse(msg.lines().findFirst().orElse("")).strip();
        return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
    }
}

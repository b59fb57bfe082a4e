package dev.btw.core;

/**
 * A failure that is not the user's input: an engine crashed while running a model, a prediction failed inside
 * DJL, an invariant broke. The message still names what failed (encoder, instance, method, seed); the command
 * line turns it into exit status 1 ("internal error"), where bad input gives 2.
 */
public class BtwInternalException extends BtwException {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming what failed and where */
    public BtwInternalException(String message) {
        super(message);
    }

    /**
     * @param message one line naming what failed and where
     * @param cause the underlying failure
     */
    public BtwInternalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    protected boolean isInternalKind() {
        return true;
    }
}

package dev.btw.core;

/**
 * Bad input or bad usage: a missing file, a wrong column, a NaN, an unknown key. The message names what is
 * wrong in one line; the command line turns it into exit status 2.
 *
 * <p>A {@link BtwInternalException} (or any {@code BtwException} whose cause chain holds one) is not the user's
 * fault: an engine crashed, an invariant broke. The command line turns it into exit status 1. Wrapping keeps the
 * kind: a {@code BtwException} built with an internal cause is internal too.
 */
public class BtwException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file, row, column or key at fault */
    public BtwException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file, row, column or key at fault
     * @param cause the underlying failure
     */
    public BtwException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @return true when this failure, or one in its cause chain, is a {@link BtwInternalException}: not bad input
     *     but a failure inside the program or an engine (exit status 1 on the command line)
     */
    public boolean isInternal() {
        return isInternal(this);
    }

    /**
     * @param t any failure
     * @return true when {@code t} or a failure in its cause chain is of an internal kind
     */
    public static boolean isInternal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BtwException b && b.isInternalKind()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether this exception itself (not its causes) reports an internal failure; false here, true for
     *     {@link BtwInternalException}
     */
    protected boolean isInternalKind() {
        return false;
    }
}

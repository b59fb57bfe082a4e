package dev.btw.core;

/**
 * Bad input or bad usage: a missing file, a wrong column, a NaN, an unknown key. The message names what is
 * wrong in one line; the command line turns it into exit status 2.
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
}

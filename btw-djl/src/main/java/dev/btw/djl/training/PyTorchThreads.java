package dev.btw.djl.training;

import dev.btw.core.BtwException;

/**
 * PyTorch thread counts that fit BTW's fusion models, for your own DJL program: call {@link #applyDefaults()} as the
 * first line of {@code main}, before anything loads DJL's PyTorch engine (an {@code NDManager}, a {@code Model},
 * {@code Engine.getInstance()}), because the engine reads its thread counts once, as it loads.
 *
 * <p>Without it DJL lets PyTorch take one intra-op and one inter-op thread per core. The fusion block's operations
 * are small (a few hundred features, batches of 32), so those threads mostly wait for each other, and when another
 * process is busy they wait for the CPU too: on a loaded 2-core machine the {@code djl-trainer} example ran several
 * times slower with DJL's default than with one thread of each, with the same results (docs/PERFORMANCE.md, "PyTorch
 * threads in the plugin"). A setting you made yourself ({@code -Dai.djl.pytorch.num_threads=N}, or
 * {@code System.setProperty} before this call) is kept.
 */
public final class PyTorchThreads {

    /** DJL's system property for PyTorch's intra-op threads (read once, as the engine loads). */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";

    /** DJL's system property for PyTorch's inter-op threads (read once, as the engine loads). */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    /** BTW's default intra-op thread count. */
    public static final int DEFAULT_INTRA_OP = 1;

    /** BTW's default inter-op thread count. */
    public static final int DEFAULT_INTER_OP = 1;

    private PyTorchThreads() {}

    /**
     * The thread counts the engine will take.
     *
     * @param intraOp intra-op threads
     * @param interOp inter-op threads
     */
    public record Counts(int intraOp, int interOp) {}

    /**
     * Sets {@value #INTRA_OP_PROPERTY} and {@value #INTER_OP_PROPERTY} to BTW's defaults where they are unset. Call it
     * before anything loads the PyTorch engine; afterwards the engine keeps the counts it loaded with.
     *
     * @return the counts that apply: yours where you set them, else the defaults
     * @throws BtwException when a property is set but is not a positive whole number, naming it
     */
    public static Counts applyDefaults() {
        return new Counts(apply(INTRA_OP_PROPERTY, DEFAULT_INTRA_OP), apply(INTER_OP_PROPERTY, DEFAULT_INTER_OP));
    }

    private static int apply(String property, int fallback) {
        String set = System.getProperty(property);
        if (set == null || set.isBlank()) {
            System.setProperty(property, Integer.toString(fallback));
            return fallback;
        }
        try {
            int n = Integer.parseInt(set.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BtwException(
                "system property " + property + " is '" + set + "'; it must be a positive whole number of threads");
    }
}

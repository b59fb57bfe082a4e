package dev.btw.app.run;

import java.util.List;

/**
 * The metrics of one method of a run: one {@link SplitMetrics} per seed, in seed order (a single entry for a
 * method trained once, such as the unimodal references and late-average).
 *
 * @param method the method's name ({@link dev.btw.app.experiment.MethodName})
 * @param seeds the metrics of each seed's model
 */
public record MethodMetrics(String method, List<SplitMetrics> seeds) {

    /** Copies the list. */
    public MethodMetrics {
        seeds = List.copyOf(seeds);
    }
}

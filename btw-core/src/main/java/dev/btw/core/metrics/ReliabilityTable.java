package dev.btw.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reliability diagram as a table: the instances binned by the probability of their predicted (top) class into
 * equal-width bins over [0, 1], each bin with its mean confidence and its accuracy. A calibrated model has
 * accuracy equal to confidence in every bin; the expected calibration error ({@link #ece()}) is the
 * count-weighted mean gap.
 *
 * <pre>{@code
 * ReliabilityTable t = Calibration.reliability(labels, probabilities);
 * t.markdown().forEach(System.out::println);
 * }</pre>
 *
 * @param bins the bins in increasing order, empty ones included
 * @param total the number of instances over all bins
 */
public record ReliabilityTable(List<Bin> bins, int total) {

    /**
     * One bin: the instances whose top-class probability lies in {@code (lower, upper]} (the first bin also holds
     * a confidence of exactly {@code lower}).
     *
     * @param lower the lower edge
     * @param upper the upper edge
     * @param count how many instances fall in the bin
     * @param meanConfidence their mean top-class probability ({@code NaN} for an empty bin)
     * @param accuracy the share of them whose predicted class is the true one ({@code NaN} for an empty bin)
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {

        /** @return accuracy minus mean confidence: negative when over-confident ({@code NaN} when empty) */
        public double gap() {
            return accuracy - meanConfidence;
        }
    }

    /**
     * @param bins the bins in increasing order
     * @param total the number of instances over all bins
     */
    public ReliabilityTable {
        bins = List.copyOf(bins);
    }

    /**
     * The expected calibration error: the sum over non-empty bins of {@code count / total * |accuracy - mean
     * confidence|}.
     *
     * @return the ECE in [0, 1]
     */
    public double ece() {
        double sum = 0.0;
        for (Bin b : bins) {
            if (b.count() > 0) {
                sum += (double) b.count() / total * Math.abs(b.accuracy() - b.meanConfidence());
            }
        }
        return sum;
    }

    /** @return Markdown lines: a header and one row per bin (empty bins shown with a dash) */
    public List<String> markdown() {
        List<String> out = new ArrayList<>();
        out.add("| confidence | count | mean confidence | accuracy | gap |");
        out.add("| --- | --- | --- | --- | --- |");
        for (Bin b : bins) {
            String range = String.format(Locale.ROOT, "(%.2f, %.2f]", b.lower(), b.upper());
            if (b.count() == 0) {
                out.add("| " + range + " | 0 | - | - | - |");
            } else {
                out.add(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.3f | %.3f | %+.3f |",
                        range,
                        b.count(),
                        b.meanConfidence(),
                        b.accuracy(),
                        b.gap()));
            }
        }
        return out;
    }
}

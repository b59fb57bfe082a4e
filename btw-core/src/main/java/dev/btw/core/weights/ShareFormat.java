package dev.btw.core.weights;

import java.util.Locale;
import java.util.Map;

/** Formats maps of modality name to a number for the {@code toString} of the weights types. */
final class ShareFormat {

    private ShareFormat() {}

    /**
     * @param values by modality name
     * @return e.g. {@code {text=0.712, audio=0.288}}: three significant digits, in map order
     */
    static String of(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, Double> e : values.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(number(e.getValue()));
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /**
     * @param n a count
     * @param noun its noun, singular
     * @return e.g. {@code 1 instance}, {@code 3 instances}
     */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * @param v a number
     * @return it with three significant digits ({@code NaN} as such)
     */
    static String number(Double v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.3g", v);
    }
}

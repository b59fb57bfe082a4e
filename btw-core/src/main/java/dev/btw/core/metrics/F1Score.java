package dev.btw.core.metrics;

/**
 * F1 scores from a confusion matrix, as scikit-learn's {@code f1_score} with {@code zero_division=0}.
 *
 * <p>Per class, F1 = 2 TP / (2 TP + FP + FN); a class that is never predicted (or never true) therefore scores 0.
 * The averages run over the classes that occur in the true <em>or</em> the predicted labels, scikit-learn's
 * default: a class absent from both is left out of the macro average rather than counted as 0. The weighted
 * average weights each class by its true-label support, so a class that is predicted but never true weighs 0.
 */
public final class F1Score {

    private F1Score() {}

    /**
     * @param m a confusion matrix
     * @param c a class in [0, C)
     * @return the F1 score of class {@code c}; 0 when it has no true positives (including when it never occurs)
     */
    public static double ofClass(ConfusionMatrix m, int c) {
        int tp = m.count(c, c);
        if (tp == 0) {
            return 0.0;
        }
        int fp = m.predicted(c) - tp;
        int fn = m.support(c) - tp;
        return 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /**
     * @param m a confusion matrix
     * @return the unweighted mean of the per-class F1 over the classes that occur in the true or predicted labels
     */
    public static double macro(ConfusionMatrix m) {
        double sum = 0.0;
        int present = 0;
        for (int c = 0; c < m.numClasses(); c++) {
            if (m.support(c) > 0 || m.predicted(c) > 0) {
                sum += ofClass(m, c);
                present++;
            }
        }
        return sum / present;
    }

    /**
     * @param m a confusion matrix
     * @return the per-class F1 averaged with weights equal to each class's number of true instances
     */
    public static double weighted(ConfusionMatrix m) {
        double sum = 0.0;
        for (int c = 0; c < m.numClasses(); c++) {
            int support = m.support(c);
            if (support > 0) {
                sum += support * ofClass(m, c);
            }
        }
        return sum / m.total();
    }
}

package dev.btw.core.metrics;

import dev.btw.core.BtwException;
import java.util.List;

/** The stable names under which metrics appear in maps, reports and files. */
public final class MetricNames {

    /** Mean absolute error. Lower is better. */
    public static final String MAE = "mae";
    /** Root mean squared error. Lower is better. */
    public static final String RMSE = "rmse";
    /** Pearson correlation between predictions and labels. */
    public static final String CORR = "corr";
    /** Coefficient of determination R&sup2; (scikit-learn's {@code r2_score}). */
    public static final String R2 = "r2";
    /** Seven-class sentiment accuracy: both sides clipped to [-3, 3] and rounded half to even. */
    public static final String ACC7 = "acc7";
    /** Five-class sentiment accuracy: both sides clipped to [-2, 2] and rounded half to even. */
    public static final String ACC5 = "acc5";
    /** Binary sentiment accuracy, negative (&lt; 0) versus non-negative (&ge; 0), over all instances. */
    public static final String ACC2_HAS0 = "acc2_has0";
    /** Weighted F1 of the has-0 binary split. */
    public static final String F1_HAS0 = "f1_has0";
    /** Binary sentiment accuracy, negative versus positive, over instances whose label is not 0. */
    public static final String ACC2_NON0 = "acc2_non0";
    /** Weighted F1 of the non-0 binary split. */
    public static final String F1_NON0 = "f1_non0";
    /** Classification accuracy of the argmax prediction. */
    public static final String ACCURACY = "accuracy";
    /** Unweighted mean of the per-class F1 scores. */
    public static final String F1_MACRO = "f1_macro";
    /** Mean of the per-class F1 scores weighted by true-class support. */
    public static final String F1_WEIGHTED = "f1_weighted";
    /** Area under the ROC curve: binary, or the macro average of one-vs-rest for more classes. */
    public static final String AUROC = "auroc";
    /** Multi-class Brier score: mean squared distance of the probabilities to the one-hot label. Lower is better. */
    public static final String BRIER = "brier";
    /** Expected calibration error over 10 equal-width bins of the top-class probability. Lower is better. */
    public static final String ECE = "ece";

    /** The names {@link RegressionMetrics#compute} returns, in order. */
    public static final List<String> REGRESSION = List.of(MAE, RMSE, CORR, R2);
    /** The names {@link SentimentMetrics#compute} returns, in order. */
    public static final List<String> SENTIMENT = List.of(ACC7, ACC5, ACC2_HAS0, F1_HAS0, ACC2_NON0, F1_NON0);
    /** The names {@link ClassificationMetrics#compute} returns, in order. */
    public static final List<String> CLASSIFICATION = List.of(ACCURACY, F1_MACRO, F1_WEIGHTED, AUROC, BRIER, ECE);

    private MetricNames() {}

    /**
     * Whether a larger value of the named metric is better (for model selection).
     *
     * @param name one of the names above
     * @return {@code false} for {@code mae}, {@code rmse}, {@code brier} and {@code ece}, {@code true} for every
     *     other known metric
     * @throws BtwException for an unknown name
     */
    public static boolean higherIsBetter(String name) {
        if (MAE.equals(name) || RMSE.equals(name) || BRIER.equals(name) || ECE.equals(name)) {
            return false;
        }
        if (REGRESSION.contains(name) || SENTIMENT.contains(name) || CLASSIFICATION.contains(name)) {
            return true;
        }
        throw new BtwException(
                "unknown metric '" + name + "'; known: " + REGRESSION + ", " + SENTIMENT + ", " + CLASSIFICATION);
    }
}

package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.btw.core.BtwException;
import dev.btw.core.divergence.GlobalSigmas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelFreeWeightsTest {

    private static Map<String, double[]> uni(double[] a, double[] b) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void modalityPriorIsTheMeanOverPresentInstances() {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("a", new double[] {0.2, 0.4, 0.0});
        c.put("b", new double[] {0.8, 0.6, 1.0});
        ModalityWeights training = new ModalityWeights(List.of("t1", "t2", "t3"), c);
        LabelFreeWeights lf = LabelFreeWeights.builder(InferencePolicy.MODALITY_PRIOR)
                .setTrainingWeights(training)
                .build();
        ModalityWeights w =
                lf.regression(List.of("v1", "v2"), uni(new double[] {1, Double.NaN}, new double[] {2, 3}), null);
        assertEquals(0.3, w.weightOf("v1", "a"), 1e-15);
        assertEquals(0.0, w.weightOf("v2", "a"), 0.0);
        assertEquals(0.8, w.weightOf("v2", "b"), 1e-15);
    }

    @Test
    void uniformIsOneWherePresent() {
        LabelFreeWeights lf = LabelFreeWeights.builder(InferencePolicy.UNIFORM).build();
        Map<String, double[][]> u = new LinkedHashMap<>();
        u.put("a", new double[][] {{0.5, 0.5}, null});
        u.put("b", new double[][] {{0.1, 0.9}, {0.3, 0.7}});
        ModalityWeights w = lf.classification(List.of("x", "y"), u, null);
        assertEquals(1.0, w.weightOf("x", "a"), 0.0);
        assertEquals(0.0, w.weightOf("y", "a"), 0.0);
        assertEquals(1.0, w.weightOf("y", "b"), 0.0);
    }

    @Test
    void instancePolicyUsesGlobalSigmasAndTrainingShares() {
        LabelFreeWeights lf = LabelFreeWeights.builder(InferencePolicy.INSTANCE)
                .optRule(CombinationRule.KL_MI)
                .setTrainingShares(Map.of("a", 0.75, "b", 0.25))
                .setGlobalSigmas(new GlobalSigmas(Map.of("a", 1.0, "b", 2.0), 1.0))
                .build();
        ModalityWeights w = lf.regression(List.of("x"), uni(new double[] {1}, new double[] {3}), new double[] {2});
        double da = 0.5;
        double db = 2 - Math.log(2);
        double fa = da / (da + db) * 0.75;
        double fb = db / (da + db) * 0.25;
        assertEquals(fa / (fa + fb), w.weightOf("x", "a"), 1e-15);
        assertThrows(
                BtwException.class,
                () -> LabelFreeWeights.builder(InferencePolicy.INSTANCE).build());
        assertThrows(
                BtwException.class,
                () -> LabelFreeWeights.builder(InferencePolicy.MODALITY_PRIOR).build());
    }
}

package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.btw.core.BtwException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmaSmootherTest {

    private static ModalityWeights table(double a0, double a1, double b0, double b1) {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("a", new double[] {a0, a1});
        c.put("b", new double[] {b0, b1});
        return new ModalityWeights(List.of("x", "y"), c);
    }

    @Test
    void firstRefreshStartsFromOnesThenBlends() {
        EmaSmoother s = new EmaSmoother();
        assertNull(s.current());
        assertEquals(0.5, s.factor(), 0.0);
        ModalityWeights w1 = s.smooth(table(0.2, 0.6, 0.8, 0.4));
        assertEquals(0.5 * 0.2 + 0.5, w1.get("x", "a"), 1e-15);
        assertEquals(0.5 * 0.4 + 0.5, w1.get("y", "b"), 1e-15);
        s.observe(true);
        assertEquals(0.55, s.factor(), 1e-15);
        ModalityWeights w2 = s.smooth(table(1.0, 0.0, 0.0, 1.0));
        assertEquals(0.55 * 1.0 + 0.45 * 0.6, w2.get("x", "a"), 1e-15);
        assertEquals(0.0, w2.get("y", "a"), 0.0); // missing in the target: 0
    }

    @Test
    void factorIsClamped() {
        EmaSmoother s = new EmaSmoother(0.98, 0.05);
        s.observe(true);
        assertEquals(1.0, s.factor(), 0.0);
        EmaSmoother t = new EmaSmoother(0.02, 0.05);
        t.observe(false);
        assertEquals(0.0, t.factor(), 0.0);
        assertThrows(BtwException.class, () -> new EmaSmoother(1.5, 0.05));
    }

    @Test
    void blendMatchesIdsByNameNotPosition() {
        Map<String, double[]> prev = new LinkedHashMap<>();
        prev.put("b", new double[] {0.2, 0.4});
        prev.put("a", new double[] {0.6, 0.8});
        ModalityWeights previous = new ModalityWeights(List.of("y", "x"), prev);
        ModalityWeights w = EmaSmoother.blend(previous, table(0.5, 0.5, 0.5, 0.5), 0.5);
        assertEquals(0.5 * 0.5 + 0.5 * 0.8, w.weightOf("x", "a"), 1e-15);
        assertEquals(0.5 * 0.5 + 0.5 * 0.2, w.weightOf("y", "b"), 1e-15);
    }
}

package dev.btw.core.divergence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DivergenceTest {

    @Test
    void categoricalHandChecked() {
        // KL((0.5, 0.5) || (0.25, 0.75)) = 0.5 ln 2 + 0.5 ln(2/3).
        assertEquals(
                0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3),
                CategoricalKl.of(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}),
                1e-15);
        assertEquals(0.0, CategoricalKl.of(new double[] {0.2, 0.3, 0.5}, new double[] {0.2, 0.3, 0.5}), 1e-15);
    }

    @Test
    void categoricalZeroProbabilityIsClampedAndFinite() {
        // p = (1, 0) -> (1, 1e-8)/(1 + 1e-8); q = (0, 1) -> (1e-8, 1)/(1 + 1e-8).
        double s = 1 + 1e-8;
        double p1 = 1 / s;
        double p2 = 1e-8 / s;
        double expected = p1 * Math.log(p1 / p2) + p2 * Math.log(p2 / p1);
        double kl = CategoricalKl.of(new double[] {1, 0}, new double[] {0, 1});
        assertEquals(expected, kl, 1e-12);
        assertTrue(Double.isFinite(kl));
        assertThrows(BtwException.class, () -> CategoricalKl.of(new double[] {0.5, 0.5}, new double[] {1}));
        assertThrows(
                BtwException.class, () -> CategoricalKl.of(new double[] {Double.NaN, 0.5}, new double[] {0.5, 0.5}));
    }

    @Test
    void gaussianHandChecked() {
        // KL(N(0,1) || N(1,2^2)) = ln 2 + (1 + 1) / 8 - 1/2.
        assertEquals(Math.log(2) + 2.0 / 8 - 0.5, GaussianKl.of(0, 1, 1, 2, 1e-3), 1e-15);
        // Equal distributions: 0.
        assertEquals(0.0, GaussianKl.of(3, 0.7, 3, 0.7, 1e-3), 1e-15);
    }

    @Test
    void gaussianZeroResidualUsesTheFloor() {
        // s_p = 0 -> 0.1; s_q = 0.2: ln 2 + (0.01 + 0.25) / 0.08 - 0.5.
        assertEquals(Math.log(2) + 0.26 / 0.08 - 0.5, GaussianKl.of(0, 0, 0.5, 0.2, 0.1), 1e-12);
        // Both zero, same mean: 0, not NaN.
        assertEquals(0.0, GaussianKl.of(1, 0, 1, 0, 1e-3), 0.0);
    }

    @Test
    void sigmaPolicyParsingAndDefaultFloor() {
        assertEquals(SigmaPolicy.RESIDUAL, SigmaPolicy.parse("residual"));
        assertEquals(SigmaPolicy.GLOBAL, SigmaPolicy.parse("global"));
        assertThrows(BtwException.class, () -> SigmaPolicy.parse("local"));
        // Population std of 1,3 is 1.
        assertEquals(1e-3, SigmaPolicy.defaultFloor(new double[] {1, 3}), 1e-18);
        assertEquals(1e-12, SigmaPolicy.defaultFloor(new double[] {2, 2}), 0.0);
    }

    @Test
    void globalSigmasFromResidualsSkipMissing() {
        GlobalSigmas s = GlobalSigmas.fromResiduals(
                Map.of("a", new double[] {1, Double.NaN, 3}), new double[] {0, 0, 0}, new double[] {0, 5, 0});
        assertEquals(Math.sqrt(5), s.of("a"), 1e-15);
        assertEquals(Math.sqrt(25.0 / 3), s.fused(), 1e-15);
        assertThrows(BtwException.class, () -> s.of("b"));
        assertThrows(BtwException.class, () -> new GlobalSigmas(Map.of("a", -1.0), 1));
    }
}

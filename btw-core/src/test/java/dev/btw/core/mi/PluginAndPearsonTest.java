package dev.btw.core.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.metrics.PearsonCorrelation;
import org.junit.jupiter.api.Test;

class PluginAndPearsonTest {

    @Test
    void pluginHandChecked() {
        // Identical balanced binary labels: MI = H = ln 2.
        assertEquals(Math.log(2), PluginMutualInformation.of(new int[] {0, 1, 0, 1}, new int[] {5, 7, 5, 7}), 1e-15);
        // Independent (product table): 0.
        assertEquals(0.0, PluginMutualInformation.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-15);
        // One side constant: 0.
        assertEquals(0.0, PluginMutualInformation.of(new int[] {1, 1, 1}, new int[] {0, 1, 2}), 0.0);
        // a = 0,0,1 ; b = 0,1,1: MI = sum p ln(p / (pa pb)) = 1/3 ln(1/3 / (2/3 * 1/3)) + 1/3 ln(1/3 / (2/3*2/3))
        // + 1/3 ln(1/3 / (1/3 * 2/3))
        double expected = (Math.log(1.5) + Math.log(0.75) + Math.log(1.5)) / 3;
        assertEquals(expected, PluginMutualInformation.of(new int[] {0, 0, 1}, new int[] {0, 1, 1}), 1e-15);
        assertThrows(BtwException.class, () -> PluginMutualInformation.of(new int[] {0}, new int[] {0, 1}));
    }

    @Test
    void pearsonHandChecked() {
        assertEquals(1.0, PearsonCorrelation.of(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-15);
        assertEquals(-1.0, PearsonCorrelation.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
        // x = 1,2,3 ; y = 1,3,2: cov = (-1)(-1) + 0 + (1)(0) = 1; sxx = 2, syy = 2: r = 0.5.
        assertEquals(0.5, PearsonCorrelation.of(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-15);
        assertTrue(Double.isNaN(PearsonCorrelation.of(new double[] {1, 1, 1}, new double[] {1, 3, 2})));
        assertThrows(
                BtwException.class, () -> PearsonCorrelation.of(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertTrue(Double.isNaN(PearsonCorrelation.of(new double[] {1}, new double[] {1})));
    }
}

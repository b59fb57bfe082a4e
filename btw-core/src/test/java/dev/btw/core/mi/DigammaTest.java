package dev.btw.core.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigammaTest {

    @Test
    void knownValues() {
        // psi(1) = -gamma; psi(1/2) = -gamma - 2 ln 2; psi(n) = -gamma + H_{n-1}; values from scipy.special.
        assertEquals(-0.5772156649015329, Digamma.of(1), 1e-15);
        assertEquals(-0.5772156649015329 - 2 * Math.log(2), Digamma.of(0.5), 1e-14);
        assertEquals(-0.5772156649015329 + 1 + 0.5, Digamma.of(3), 1e-14);
        assertEquals(2.251752589066721, Digamma.of(10), 1e-14);
        assertEquals(1.7061176684318005, Digamma.of(6), 1e-14);
        assertEquals(1.611093148581751, Digamma.of(5.5), 1e-14);
        assertEquals(-1000.5755719318103, Digamma.of(1e-3), 1e-10);
        assertEquals(11.512920464961896, Digamma.of(100000), 1e-13);
        assertEquals(0.03648997397857651, Digamma.of(-0.5), 1e-13);
    }

    @Test
    void polesAndNaN() {
        assertTrue(Double.isNaN(Digamma.of(0)));
        assertTrue(Double.isNaN(Digamma.of(-2)));
        assertTrue(Double.isNaN(Digamma.of(Double.NaN)));
    }

    @Test
    void integerTableMatchesFunction() {
        double[] t = Digamma.integerTable(50);
        for (int j = 1; j <= 51; j++) {
            assertEquals(Digamma.of(j), t[j], 0.0);
        }
    }

    @Test
    void sharedTableMatchesFunctionAndGrows() {
        double[] small = Digamma.sharedIntegerTable(10);
        double[] large = Digamma.sharedIntegerTable(5000);
        assertTrue(small.length >= 12 && large.length >= 5002);
        for (int j = 1; j <= 5001; j++) {
            assertEquals(Digamma.of(j), large[j], 0.0);
        }
        for (int j = 1; j <= 11; j++) {
            assertEquals(Digamma.of(j), small[j], 0.0);
        }
    }
}

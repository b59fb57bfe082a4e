package dev.btw.core.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KsgMutualInformationTest {

    @Test
    void handCheckedFivePoints() {
        // x = 0,1,3,7,8 and y = 0,2,1,9,7, k = 2. After scaling, the 2nd-neighbour max-norm radii and the
        // counts of points strictly closer are: n_x = 1,1,1,3,2 and n_y = 2,2,2,1,2. With psi(j) = -gamma +
        // H_{j-1}: MI = psi(5) + psi(2) - (3 psi(2) + psi(4) + psi(3)) / 5 - (4 psi(3) + psi(2)) / 5
        //            = (25/12 + 1) - (3 + 11/6 + 3/2) / 5 - (6 + 1) / 5 = 5/12 (scikit-learn: 0.41666667).
        double mi = new KsgMutualInformation(2, 0).estimate(new double[] {0, 1, 3, 7, 8}, new double[] {0, 2, 1, 9, 7});
        assertEquals(5.0 / 12, mi, 1e-12);
    }

    @Test
    void independentSamplesGiveAboutZeroAndDependentOnesMore() {
        Random r = new Random(3);
        int n = 5000;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextGaussian();
            z[i] = x[i] + 0.1 * r.nextGaussian();
        }
        KsgMutualInformation ksg = new KsgMutualInformation();
        assertTrue(ksg.estimate(x, y) < 0.02);
        // Gaussian truth: -0.5 ln(1 - rho^2), rho^2 = 1 / 1.01.
        assertEquals(-0.5 * Math.log(1 - 1 / 1.01), ksg.estimate(x, z), 0.1);
    }

    @Test
    void deterministicForASeedAndSharedTargetGivesSameValue() {
        Random r = new Random(5);
        double[] x = new double[300];
        double[] y = new double[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            y[i] = x[i] + r.nextGaussian();
        }
        KsgMutualInformation ksg = new KsgMutualInformation(3, 42);
        double a = ksg.estimate(x, y);
        assertEquals(a, ksg.estimate(x, y), 0.0);
        assertEquals(a, ksg.estimate(x, ksg.prepareTarget(y)), 0.0);
    }

    @Test
    void constantSampleGivesZeroNotAnError() {
        double[] x = new double[50];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i] = 2.5;
            y[i] = i;
        }
        double mi = new KsgMutualInformation().estimate(x, y);
        assertTrue(mi >= 0 && mi < 0.2, "mi " + mi);
    }

    /**
     * Tied or constant samples, told apart only by the jitter, must not make the neighbour search quadratic: cut
     * into strips that all lay within reach of every query, 100 000 tied instances took up to 3 s before strips
     * were given a minimum width, and the cost grew with the square of n.
     */
    @Test
    void constantSampleStaysFast() {
        int n = 400_000;
        Random r = new Random(8);
        double[] y = new double[n];
        double[] constant = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            constant[i] = 2.0;
        }
        KsgMutualInformation ksg = new KsgMutualInformation();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(0.0, ksg.estimate(constant, y), 0.01));
    }

    @Test
    void discreteSamplesGiveSensibleValues() {
        int n = 50_000;
        Random r = new Random(8);
        double[] y = new double[n];
        double[] discrete = new double[n];
        double[] yDiscrete = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            discrete[i] = Math.max(-2, Math.min(2, Math.round(y[i] + 0.5 * r.nextGaussian())));
            yDiscrete[i] = Math.round(y[i] * 2) / 2.0;
        }
        KsgMutualInformation ksg = new KsgMutualInformation();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertTrue(ksg.estimate(discrete, y) > 0.3);
            assertTrue(ksg.estimate(discrete, yDiscrete) > 0.3);
            assertTrue(ksg.estimate(y, yDiscrete) > 1.0);
        });
    }

    @Test
    void rejectsNaNTooFewInstancesAndLengthMismatch() {
        KsgMutualInformation ksg = new KsgMutualInformation();
        BtwException nan = assertThrows(
                BtwException.class,
                () -> ksg.estimate(new double[] {1, 2, Double.NaN, 4, 5}, new double[] {1, 2, 3, 4, 5}));
        assertTrue(nan.getMessage().contains("x[2]"), nan.getMessage());
        BtwException few =
                assertThrows(BtwException.class, () -> ksg.estimate(new double[] {1, 2, 3}, new double[] {1, 2, 3}));
        assertTrue(few.getMessage().contains("at least k + 1 = 4"), few.getMessage());
        assertThrows(BtwException.class, () -> ksg.estimate(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4, 5}));
        assertThrows(BtwException.class, () -> new KsgMutualInformation(0, 0));
    }
}

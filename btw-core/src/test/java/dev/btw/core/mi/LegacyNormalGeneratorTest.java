package dev.btw.core.mi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LegacyNormalGeneratorTest {

    @Test
    void reproducesNumpyRandomStateStandardNormal() {
        // numpy.random.RandomState(0).standard_normal(5)
        assertArrayEquals(
                new double[] {
                    1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675
                },
                new LegacyNormalGenerator(0).nextGaussians(5),
                1e-15);
        // numpy.random.RandomState(4294967295).standard_normal(3)
        assertArrayEquals(
                new double[] {0.6484086742306527, 0.6693235306338161, -1.0805437227474493},
                new LegacyNormalGenerator(4294967295L).nextGaussians(3),
                1e-15);
    }

    @Test
    void reproducesNumpyRandomSample() {
        // numpy.random.RandomState(42).random_sample()
        assertEquals(0.3745401188473625, new LegacyNormalGenerator(42).nextDouble(), 0.0);
    }
}

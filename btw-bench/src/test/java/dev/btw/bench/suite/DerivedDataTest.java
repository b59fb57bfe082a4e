package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.btw.app.experiment.FusionData;
import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.djl.training.SplitData;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedDataTest {

    private static FusionData data() {
        Map<Split, SplitData> s = new EnumMap<>(Split.class);
        for (Split sp : Split.values()) {
            float[] a = new float[4 * 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = i;
            }
            s.put(
                    sp,
                    new SplitData(
                            List.of("x", "y", "z", "w"),
                            Map.of("a", 2),
                            Map.of("a", a),
                            Map.of("a", new boolean[] {true, true, false, true}),
                            new double[] {1, 2, 3, 4}));
        }
        return new FusionData(Task.REGRESSION, Map.of("a", 2), List.of(), s);
    }

    @Test
    void noiseModalitiesAreAppendedPresentAndSeeded() {
        FusionData d = data();
        assertSame(d, DerivedData.withNoise(d, 0, 3, 1));
        FusionData n = DerivedData.withNoise(d, 2, 3, 7);
        assertEquals(List.of("a", "noise_1", "noise_2"), n.modalities());
        assertEquals(3, n.dims().get("noise_2"));
        SplitData train = n.split(Split.TRAIN);
        assertEquals(12, train.features("noise_1").length);
        assertArrayEquals(new boolean[] {true, true, true, true}, train.present("noise_1"));
        assertArrayEquals(d.split(Split.TRAIN).features("a"), train.features("a"));
        assertArrayEquals(
                train.features("noise_1"),
                DerivedData.withNoise(d, 2, 3, 7).split(Split.TRAIN).features("noise_1"));
        assertFalse(Arrays.equals(train.features("noise_1"), train.features("noise_2")));
    }

    @Test
    void corruptedCopyFollowsTheOriginalAndItsPresence() {
        FusionData d = data();
        FusionData c = DerivedData.withCorruptedCopy(d, "a", new double[] {0}, 3);
        SplitData t = c.split(Split.TEST);
        assertArrayEquals(new boolean[] {true, true, false, true}, t.present("a_copy"));
        float[] orig = d.split(Split.TEST).features("a");
        float[] copy = t.features("a_copy");
        assertEquals(orig[0], copy[0]);
        assertEquals(0f, copy[4]);
        FusionData noisy = DerivedData.withCorruptedCopy(d, "a", new double[] {2}, 3);
        assertNotEquals(orig[0], noisy.split(Split.TEST).features("a_copy")[0]);
    }

    @Test
    void comparisonIsOrientedSoPositiveMeansBetter() {
        Comparison err = Comparison.of(new double[] {1, 2, 3}, new double[] {2, 3, 5}, true);
        assertEquals(4.0 / 3, err.improvement(), 1e-12);
        assertEquals(3, err.sign().wins());
        Comparison score = Comparison.of(new double[] {0.5, 0.6}, new double[] {0.7, 0.7}, false);
        assertEquals(-0.15, score.improvement(), 1e-12);
        assertEquals(2, score.sign().losses());
    }
}

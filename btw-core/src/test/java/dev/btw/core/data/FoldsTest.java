package dev.btw.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FoldsTest {

    @Test
    void foldsAreStratifiedSeededAndCoverEveryInstance() {
        Random r = new Random(3);
        int n = 503;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.7 ? 0 : r.nextDouble() < 0.6 ? 1 : 2; // imbalanced classes
        }
        int k = 5;
        int[] fold = Folds.assign(y, null, k, 1111);
        int[][] counts = new int[k][3];
        int[] total = new int[3];
        for (int i = 0; i < n; i++) {
            assertTrue(fold[i] >= 0 && fold[i] < k);
            counts[fold[i]][y[i]]++;
            total[y[i]]++;
        }
        for (int f = 0; f < k; f++) {
            for (int c = 0; c < 3; c++) {
                assertTrue(
                        Math.abs(counts[f][c] - total[c] / (double) k) <= 1.0,
                        "fold " + f + " class " + c + ": " + counts[f][c] + " of " + total[c]);
            }
        }
        assertArrayEquals(fold, Folds.assign(y, null, k, 1111), "same seed, same folds");
        assertFalse(Arrays.equals(fold, Folds.assign(y, null, k, 2222)), "another seed, other folds");
    }

    @Test
    void groupsStayInOneFoldAndClassesStayBalanced() {
        Random r = new Random(7);
        int n = 600;
        int[] y = new int[n];
        String[] g = new String[n];
        for (int i = 0; i < n; i++) {
            int speaker = r.nextInt(40); // 40 speakers of uneven size
            g[i] = "speaker-" + speaker;
            y[i] = r.nextInt(10);
        }
        int k = 5;
        int[] fold = Folds.assign(y, g, k, 1111);
        Map<String, Integer> foldOf = new HashMap<>();
        int[] sizes = new int[k];
        int[][] counts = new int[k][10];
        for (int i = 0; i < n; i++) {
            Integer before = foldOf.putIfAbsent(g[i], fold[i]);
            assertTrue(before == null || before == fold[i], "group " + g[i] + " split over folds");
            sizes[fold[i]]++;
            counts[fold[i]][y[i]]++;
        }
        for (int f = 0; f < k; f++) {
            assertTrue(sizes[f] > n / k * 0.7 && sizes[f] < n / k * 1.3, "fold sizes " + Arrays.toString(sizes));
            for (int c = 0; c < 10; c++) {
                assertTrue(counts[f][c] > 0, "fold " + f + " has no instance of class " + c);
            }
        }
    }

    @Test
    void regressionFoldsHaveEvenSizes() {
        int[] fold = Folds.assign(null, new String[] {"a", "b", "c", "d", "e", "f", "g"}, 3, 1);
        int[] sizes = new int[3];
        for (int f : fold) {
            sizes[f]++;
        }
        Arrays.sort(sizes);
        assertArrayEquals(new int[] {2, 2, 3}, sizes);
    }

    @Test
    void fewerGroupsThanFoldsIsAnErrorNamingTheKeys() {
        BtwException e = assertThrows(
                BtwException.class,
                () -> Folds.assign(new int[] {0, 1, 0, 1}, new String[] {"a", "a", "b", "b"}, 3, 1));
        assertTrue(e.getMessage().contains("btw.folds") && e.getMessage().contains("2 groups"), e.getMessage());
        assertEquals(1, Folds.assign(new int[] {0, 1}, null, 2, 1)[0] + Folds.assign(new int[] {0, 1}, null, 2, 1)[1]);
    }
}

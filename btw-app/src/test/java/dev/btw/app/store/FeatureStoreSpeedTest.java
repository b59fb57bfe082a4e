package dev.btw.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading back 100 000 x 768 float32 vectors (307 MB) must take well under a second. */
class FeatureStoreSpeedTest {

    @TempDir
    Path dir;

    @Test
    void opensAndScans100kBy768InUnderASecond() throws Exception {
        int n = 100_000;
        int d = 768;
        Path folder = dir.resolve("big").resolve("fp");
        Files.createDirectories(folder);
        float[] row = new float[d];
        List<Segment.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new Segment.Entry("id" + i, true, "k"));
        }
        List<float[]> rows = new AbstractList<>() {
            @Override
            public float[] get(int i) {
                row[0] = i;
                return row;
            }

            @Override
            public int size() {
                return n;
            }
        };
        Segment.write(folder, entries, rows, d);
        FeatureStore store = FeatureStore.open(dir);
        store.writeEncoderInfo("big", "fp", "test", d);
        store.writeCurrent("big", "fp", "test", d, n);

        long t0 = System.nanoTime();
        ModalityFeatures f = store.read("big");
        FloatBuffer b = f.buffer();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += b.get(i * d);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals((double) n * (n - 1) / 2, sum, 1e-3);
        assertEquals(n, f.size());
        assertEquals(99_999f, f.row(f.indexOf("id99999"))[0]);
        System.out.printf("feature store: opened and scanned %d x %d floats in %.3f s%n", n, d, seconds);
        assertTrue(seconds < 1.0, "took " + seconds + " s");
    }
}

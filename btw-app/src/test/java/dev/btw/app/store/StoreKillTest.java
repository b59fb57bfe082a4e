package dev.btw.app.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill: a child JVM fills the store and is killed with SIGKILL while it writes segments; the files it
 * leaves behind (finished segments, torn temporary files, a segment whose index was never committed) must give a
 * second run that keeps the finished shards, cleans the rest and ends with every vector right.
 */
class StoreKillTest {

    @TempDir
    Path dir;

    private List<Path> files(Path folder, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void aChildKilledMidWriteLeavesAStoreThatResumes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreKillChild.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        Path folder = FeatureStore.open(dir).folder("m", "slow-1");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("started", out.readLine());
            // wait until a few shards are committed, then kill while the two workers are writing more
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.isDirectory(folder) || files(folder, ".tsv").size() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(child.isAlive(), "the child finished before it could be killed");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        int committed = files(folder, ".tsv").size();
        assertTrue(committed >= 3 && committed < StoreKillChild.N / 8, committed + " segments committed");

        // what a kill at a worse moment leaves: a torn temporary file and data whose index was never written
        Files.write(folder.resolve(".seg-torn.f32.12345.tmp"), new byte[1000]);
        Path orphan = folder.resolve(Segment.newName() + ".f32");
        Files.write(orphan, new byte[4 * StoreKillChild.DIM * 3]);

        EncodeResult r = StoreWriter.builder()
                .setStore(FeatureStore.open(dir))
                .optBatch(4)
                .optWorkers(2)
                .optShardSize(8)
                .build()
                .write("m", StoreKillChild.encoder(0), StoreKillChild.instances());
        assertTrue(r.reused() >= 8 * 3, "the committed shards were kept: " + r.reused());
        assertEquals(StoreKillChild.N, r.reused() + r.encoded() + r.missing());
        assertTrue(files(folder, ".tmp").isEmpty(), "stale temporaries removed: " + files(folder, ".tmp"));
        assertFalse(Files.exists(orphan), "uncommitted segment data removed");
        assertEquals(files(folder, ".tsv").size(), files(folder, ".f32").size());

        ModalityFeatures f = FeatureStore.open(dir).read("m");
        assertEquals(StoreKillChild.N, f.size());
        for (int i = 0; i < StoreKillChild.N; i++) {
            String id = "id" + i;
            int k = f.indexOf(id);
            assertEquals(i % 9 != 4, f.isPresent(k), id);
            if (f.isPresent(k)) {
                float[] row = f.row(k);
                assertEquals(StoreKillChild.value(id, 0), row[0], id);
                assertEquals(StoreKillChild.value(id, StoreKillChild.DIM - 1), row[StoreKillChild.DIM - 1], id);
            } else {
                assertArrayEquals(new float[StoreKillChild.DIM], f.row(k), id);
            }
        }
    }

    @Test
    void aTornCommittedSegmentIsNamedNotReadAsVectors() throws Exception {
        StoreWriter.builder()
                .setStore(FeatureStore.open(dir))
                .optBatch(4)
                .optWorkers(1)
                .optShardSize(8)
                .build()
                .write(
                        "m",
                        StoreKillChild.encoder(0),
                        StoreKillChild.instances().subList(0, 16));
        Path folder = FeatureStore.open(dir).folder("m", "slow-1");
        Path data = files(folder, ".f32").get(0);
        byte[] all = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(all, all.length - 4)); // a segment cut short (disk, copy)
        BtwException e = Assertions.assertThrows(
                BtwException.class, () -> FeatureStore.open(dir).read("m"));
        assertTrue(
                e.getMessage().contains(data.getFileName().toString())
                        && e.getMessage().contains("re-encode"),
                e.getMessage());
    }
}

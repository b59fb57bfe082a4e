package dev.btw.app.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderException;
import dev.btw.djl.encoder.EncoderInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterTest {

    @TempDir
    Path dir;

    /** A deterministic encoder: the vector is (length of the cell, its first char, fingerprint salt). */
    static class FakeEncoder implements Encoder {
        final AtomicInteger encoded = new AtomicInteger();
        final String salt;
        final int failAfter;

        FakeEncoder(String salt, int failAfter) {
            this.salt = salt;
            this.failAfter = failAfter;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public String fingerprint() {
            return "fp-" + salt;
        }

        @Override
        public List<float[]> encode(List<EncoderInput> batch) {
            List<float[]> out = new ArrayList<>();
            for (EncoderInput in : batch) {
                if (encoded.incrementAndGet() > failAfter) {
                    throw new EncoderException("fake", in.id(), "failed on purpose");
                }
                out.add(new float[] {in.value().length(), in.value().charAt(0), salt.length()});
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static List<StoreInstance> instances(int n, int missingEvery) {
        List<StoreInstance> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "id" + i;
            String cell = "x".repeat(i % 7 + 1);
            out.add(
                    i % missingEvery == 0
                            ? new StoreInstance(id, null, "")
                            : new StoreInstance(id, EncoderInput.of(id, cell), cell));
        }
        return out;
    }

    private StoreWriter writer() {
        return StoreWriter.builder()
                .setStore(FeatureStore.open(dir))
                .optBatch(4)
                .optWorkers(2)
                .optShardSize(10)
                .build();
    }

    private Map<Path, FileTime> snapshot() throws IOException {
        Map<Path, FileTime> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void encodesReadsBackAndRecordsMissingInstances() {
        List<StoreInstance> in = instances(50, 5);
        EncodeResult r = writer().write("text", new FakeEncoder("a", Integer.MAX_VALUE), in);
        assertEquals(40, r.encoded());
        assertEquals(10, r.missing());
        ModalityFeatures f = FeatureStore.open(dir).read("text");
        assertEquals(50, f.size());
        assertEquals(3, f.dimension());
        assertEquals("fp-a", f.fingerprint());
        assertFalse(f.isPresent(f.indexOf("id0")));
        assertArrayEquals(new float[3], f.row(f.indexOf("id0")));
        assertArrayEquals(new float[] {2, 'x', 1}, f.row(f.indexOf("id1")));
        assertEquals(150, f.buffer().remaining(), "merged into one segment");
        assertEquals(in.stream().map(StoreInstance::id).toList(), f.ids(), "in manifest order");
        ModalityFeatures.Aligned a = f.align(List.of("id1", "nope", "id5"));
        assertArrayEquals(new boolean[] {true, false, false}, a.present());
        assertEquals(2f, a.matrix()[0]);
        assertEquals(List.of("text"), FeatureStore.open(dir).modalities());
    }

    @Test
    void aNonFiniteVectorFromAModelIsAnInternalErrorNamingModalityAndInstance() {
        List<StoreInstance> in = instances(20, 1000);
        FakeEncoder nan = new FakeEncoder("a", Integer.MAX_VALUE) {
            @Override
            public List<float[]> encode(List<EncoderInput> batch) {
                List<float[]> out = super.encode(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i).id().equals("id13")) {
                        out.get(i)[1] = Float.NaN;
                    }
                }
                return out;
            }
        };
        BtwException e = assertThrows(BtwException.class, () -> writer().write("speech", nan, in));
        assertTrue(
                e.getMessage().contains("modality speech, instance id13")
                        && e.getMessage().contains("NaN"),
                e.getMessage());
        assertTrue(e.isInternal(), "a model's NaN is not the user's input");
        assertFalse(
                FeatureStore.open(dir).modalities().contains("speech")
                        && FeatureStore.open(dir).read("speech").ids().contains("id13"),
                "the NaN row was not stored");
    }

    @Test
    void rerunWithNothingChangedTouchesNothing() throws IOException {
        List<StoreInstance> in = instances(30, 4);
        writer().write("m", new FakeEncoder("a", Integer.MAX_VALUE), in);
        Map<Path, FileTime> before = snapshot();
        FakeEncoder again = new FakeEncoder("a", Integer.MAX_VALUE);
        EncodeResult r = writer().write("m", again, in);
        assertEquals(0, again.encoded.get());
        assertEquals(30, r.reused());
        assertEquals(before, snapshot());
    }

    @Test
    void resumesAfterAnEncoderFailureWithoutRedoingFinishedShards() {
        List<StoreInstance> in = instances(100, 1000);
        // one worker so that shards finish in order; the encoder fails on its 35th instance (inside shard 4).
        // A real kill of a writing process is StoreKillTest's.
        StoreWriter one = StoreWriter.builder()
                .setStore(FeatureStore.open(dir))
                .optBatch(5)
                .optWorkers(1)
                .optShardSize(10)
                .build();
        assertThrows(EncoderException.class, () -> one.write("m", new FakeEncoder("a", 34), in));
        FakeEncoder second = new FakeEncoder("a", Integer.MAX_VALUE);
        EncodeResult r = one.write("m", second, in);
        assertEquals(70, second.encoded.get(), "30 instances of 3 finished shards were kept");
        assertEquals(30, r.reused());
        ModalityFeatures f = FeatureStore.open(dir).read("m");
        assertEquals(100, f.size());
        assertArrayEquals(new float[] {(99 % 7) + 1, 'x', 1}, f.row(f.indexOf("id99")));
    }

    @Test
    void changedCellsOrEncoderReencodeOnlyWhatChanged() {
        List<StoreInstance> in = new ArrayList<>(instances(20, 1000));
        writer().write("m", new FakeEncoder("a", Integer.MAX_VALUE), in);
        in.set(3, new StoreInstance("id3", EncoderInput.of("id3", "changed"), "changed"));
        in.set(4, new StoreInstance("id4", null, ""));
        FakeEncoder second = new FakeEncoder("a", Integer.MAX_VALUE);
        EncodeResult r = writer().write("m", second, in);
        assertEquals(1, second.encoded.get());
        assertEquals(1, r.missing());
        ModalityFeatures f = FeatureStore.open(dir).read("m");
        assertEquals(7f, f.row(f.indexOf("id3"))[0]);
        assertFalse(f.isPresent(f.indexOf("id4")));
        assertEquals(20, f.size());
        // a new encoder fingerprint re-encodes everything of this modality, and becomes current
        FakeEncoder other = new FakeEncoder("bb", Integer.MAX_VALUE);
        writer().write("m", other, in);
        assertEquals(18, other.encoded.get(), "20 minus id0 and id4, both missing");
        assertEquals("fp-bb", FeatureStore.open(dir).currentFingerprint("m"));
        assertTrue(Files.isDirectory(dir.resolve("m").resolve("fp-a")), "the old vectors stay for a switch back");
    }
}

package dev.btw.app.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vectors} read from one {@code .npy} matrix per modality: float32 in manifest order, float16 matched by an
 * ids file (in another order, with ids the manifest lacks and a manifest id the file lacks), and the errors that
 * name the first bad row.
 */
class MatrixVectorsTest {

    private static final int N = 10;

    @TempDir
    Path dir;

    /** Writes a .npy file: {@code type} is "f4" or "f2" (then the values must be exact in half precision). */
    static void writeNpy(Path file, String type, int[] shape, float[] values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2);
        String header = "{'descr': '<" + type + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int size = type.equals("f2") ? 2 : 4;
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            if (size == 2) {
                b.putShort(toHalf(v));
            } else {
                b.putFloat(v);
            }
        }
        Files.write(file, b.array());
    }

    /** Float to half for values exact in half precision (normal numbers, zero, infinities and NaN). */
    private static short toHalf(float v) {
        int bits = Float.floatToIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(v)) {
            return (short) 0x7e00;
        }
        if (Float.isInfinite(v)) {
            return (short) (sign | 0x7c00);
        }
        if (v == 0) {
            return (short) sign;
        }
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        return (short) (sign | (exp << 10) | ((bits >>> 13) & 0x3ff));
    }

    private static float text(int row, int j) {
        return row * 10 + j + 0.25f;
    }

    private static float audio(int row, int j) {
        return (row - 5) * 0.5f + j * 4;
    }

    /** Manifest s0..s9; text.npy float32 [10, 3] in manifest order; audio.npy float16 [10, 2] by ids file. */
    private Path setUp() throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label");
        for (int i = 0; i < N; i++) {
            rows.add("s" + i + "," + (i < 6 ? "train" : i < 8 ? "val" : "test") + "," + (i % 2));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        float[] t = new float[N * 3];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 3; j++) {
                t[i * 3 + j] = text(i, j);
            }
        }
        Files.createDirectories(dir.resolve("emb"));
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N, 3}, t);
        // audio rows in reverse order, s4 absent, plus an id the manifest does not have
        List<String> ids = new ArrayList<>();
        List<Float> a = new ArrayList<>();
        for (int i = N - 1; i >= 0; i--) {
            if (i == 4) {
                continue;
            }
            ids.add("s" + i);
            a.add(audio(i, 0));
            a.add(audio(i, 1));
        }
        ids.add("other");
        a.add(7f);
        a.add(8f);
        float[] av = new float[a.size()];
        for (int i = 0; i < av.length; i++) {
            av[i] = a.get(i);
        }
        writeNpy(dir.resolve("emb/audio.npy"), "f2", new int[] {ids.size(), 2}, av);
        Files.write(dir.resolve("emb/audio-ids.txt"), ids);
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  text: { encoder: vectors, matrix: emb/text.npy }\n"
                        + "  audio: { encoder: vectors, matrix: emb/audio.npy, matrix_ids: emb/audio-ids.txt }\n");
        return config;
    }

    private static List<EncodeResult> encode(Path config) {
        return ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of()))
                .optWorkers(2)
                .build()
                .run();
    }

    @Test
    void rowsFollowTheManifestOrTheIdsFile() throws IOException {
        Path config = setUp();
        List<EncodeResult> results = encode(config);
        assertEquals(N, results.get(0).encoded());
        assertEquals(N - 1, results.get(1).encoded());
        assertEquals(1, results.get(1).missing());
        FeatureStore store = FeatureStore.open(dir.resolve("features"));
        ModalityFeatures text = store.read("text");
        ModalityFeatures audio = store.read("audio");
        assertEquals(3, text.dimension());
        assertEquals(2, audio.dimension());
        for (int i = 0; i < N; i++) {
            assertArrayEquals(new float[] {text(i, 0), text(i, 1), text(i, 2)}, text.row(text.indexOf("s" + i)));
            int k = audio.indexOf("s" + i);
            if (i == 4) {
                assertFalse(audio.isPresent(k));
            } else {
                assertTrue(audio.isPresent(k));
                assertArrayEquals(new float[] {audio(i, 0), audio(i, 1)}, audio.row(k), "s" + i);
            }
        }
        assertEquals(-1, audio.indexOf("other"));
        // nothing changed: nothing encoded again
        for (EncodeResult r : encode(config)) {
            assertEquals(0, r.encoded(), r.modality());
        }
        // a rewritten matrix is read again
        float[] t = new float[N * 3];
        Arrays.fill(t, 1.5f);
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N, 3}, t);
        Files.setLastModifiedTime(dir.resolve("emb/text.npy"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals(N, encode(config).get(0).encoded());
        assertArrayEquals(
                new float[] {1.5f, 1.5f, 1.5f},
                FeatureStore.open(dir.resolve("features")).read("text").row(0));
    }

    private void assertFails(Path config, String... expected) {
        BtwException e = assertThrows(BtwException.class, () -> encode(config));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' lacks '" + s + "'");
        }
        assertFalse(Files.exists(dir.resolve("features")), "nothing is encoded before validation passes");
    }

    @Test
    void firstNonFiniteRowIsNamed() throws IOException {
        Path config = setUp();
        float[] t = new float[N * 3];
        t[5 * 3 + 1] = Float.NaN;
        t[7 * 3 + 2] = Float.POSITIVE_INFINITY;
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N, 3}, t);
        assertFails(config, "text.npy", "row 5 (id s5)", "column 1", "NaN");
        t[5 * 3 + 1] = 0;
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N, 3}, t);
        assertFails(config, "row 7 (id s7)", "Infinity");
    }

    @Test
    void nonFiniteHalfRowIsNamedByItsId() throws IOException {
        Path config = setUp();
        float[] a = new float[(N) * 2];
        a[3 * 2] = Float.NEGATIVE_INFINITY;
        writeNpy(dir.resolve("emb/audio.npy"), "f2", new int[] {N, 2}, a);
        // ids file line 4 names row 3: s6 (rows run s9, s8, s7, s6, ...)
        assertFails(config, "audio.npy", "row 3 (id s6)", "-Infinity");
    }

    @Test
    void wrongShapeCountOrIdsAreNamed() throws IOException {
        Path config = setUp();
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N * 3}, new float[N * 3]);
        assertFails(config, "text.npy", "shape [30]", "[N, d]");
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N - 1, 3}, new float[(N - 1) * 3]);
        assertFails(config, "text.npy", "has 9 rows", "manifest");
        writeNpy(dir.resolve("emb/text.npy"), "f4", new int[] {N, 3}, new float[N * 3]);
        Files.write(dir.resolve("emb/audio-ids.txt"), List.of("s1", "s2"));
        assertFails(config, "audio.npy has 10 rows", "audio-ids.txt has 2 ids");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ids.add(i == 6 ? "s2" : "s" + i);
        }
        Files.write(dir.resolve("emb/audio-ids.txt"), ids);
        assertFails(config, "audio-ids.txt line 7", "'s2' repeats line 3");
        Files.write(dir.resolve("emb/text.npy"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        assertFails(config, "modalities.text.matrix", "not a .npy file");
    }

    @Test
    void configNamesConflictingKeys() throws IOException {
        Path config = setUp();
        String yaml = Files.readString(config);
        Files.writeString(config, yaml.replace("matrix: emb/text.npy", "matrix: emb/text.npy, column: id"));
        BtwException e = assertThrows(BtwException.class, () -> BtwConfig.load(config, List.of()));
        assertTrue(e.getMessage().contains("modalities.text"), e.getMessage());
        Files.writeString(
                config,
                yaml.replace(
                        "encoder: vectors, matrix: emb/text.npy",
                        "encoder: columns, columns: [label], matrix: emb/text.npy"));
        e = assertThrows(BtwException.class, () -> BtwConfig.load(config, List.of()));
        assertTrue(e.getMessage().contains("needs encoder 'vectors'"), e.getMessage());
    }
}

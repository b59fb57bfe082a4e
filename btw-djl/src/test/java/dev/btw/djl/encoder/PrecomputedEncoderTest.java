package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecomputedEncoderTest {

    @TempDir
    Path dir;

    /** Writes a float32 .npy file exactly as numpy.save does (format 1.0, header padded to 64 bytes). */
    static void writeNpy(Path file, float[] data, int... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String s = shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + s + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float f : data) {
            b.putFloat(f);
        }
        Files.write(file, b.array());
    }

    @Test
    void readsInlineNpyAndCsvVectors() throws IOException {
        writeNpy(dir.resolve("a.npy"), new float[] {1, 2, 3}, 3);
        // a [T, d] sequence, CMU-MOSI style, is mean-pooled over time
        writeNpy(dir.resolve("seq.npy"), new float[] {0, 0, 0, 2, 4, 6}, 2, 3);
        Files.writeString(dir.resolve("c.csv"), "f1,f2,f3\n1,1,1\n3,3,3\n");
        PrecomputedEncoder enc = PrecomputedEncoder.probe("pre", "[1, 2, 3]", dir);
        assertEquals(3, enc.dimension());
        List<float[]> v = enc.encode(List.of(
                EncoderInput.of("i", "0.5 1 2"),
                EncoderInput.of("n", "a.npy"),
                EncoderInput.of("s", "seq.npy"),
                EncoderInput.of("c", "c.csv")));
        assertArrayEquals(new float[] {0.5f, 1, 2}, v.get(0));
        assertArrayEquals(new float[] {1, 2, 3}, v.get(1));
        assertArrayEquals(new float[] {1, 2, 3}, v.get(2));
        assertArrayEquals(new float[] {2, 2, 2}, v.get(3));
    }

    @Test
    void sequencesCanBeMaxPooled() throws IOException {
        writeNpy(dir.resolve("seq.npy"), new float[] {0, 5, 0, 2, 4, 6}, 2, 3);
        PrecomputedEncoder max = PrecomputedEncoder.probe("pre", "seq.npy", dir, true);
        assertArrayEquals(
                new float[] {2, 5, 6},
                max.encode(List.of(EncoderInput.of("s", "seq.npy"))).get(0));
        assertTrue(!max.fingerprint()
                .equals(PrecomputedEncoder.probe("pre", "seq.npy", dir).fingerprint()));
    }

    @Test
    void wrongLengthAndBadCellsNameTheInstance() {
        PrecomputedEncoder enc = new PrecomputedEncoder("pre", 3, dir);
        EncoderException e =
                assertThrows(EncoderException.class, () -> enc.encode(List.of(EncoderInput.of("id9", "1 2"))));
        assertTrue(e.getMessage().contains("id9") && e.getMessage().contains("2 values"), e.getMessage());
        e = assertThrows(EncoderException.class, () -> enc.encode(List.of(EncoderInput.of("id4", "missing.npy"))));
        assertTrue(e.getMessage().contains("id4") && e.getMessage().contains("missing.npy"), e.getMessage());
        e = assertThrows(EncoderException.class, () -> enc.encode(List.of(EncoderInput.of("id5", "1 x 2"))));
        assertTrue(e.getMessage().contains("id5"), e.getMessage());
    }
}

package dev.btw.djl.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Half-precision widening and the header checks of {@link NpyMatrix}. */
class NpyMatrixTest {

    @TempDir
    Path dir;

    @Test
    void halfBitsWidenExactly() {
        assertEquals(1f, NpyMatrix.halfToFloat((short) 0x3c00));
        assertEquals(-2f, NpyMatrix.halfToFloat((short) 0xc000));
        assertEquals(65504f, NpyMatrix.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, NpyMatrix.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(0x1p-14f, NpyMatrix.halfToFloat((short) 0x0400)); // smallest normal
        assertEquals(0.333251953125f, NpyMatrix.halfToFloat((short) 0x3555));
        assertEquals(Float.POSITIVE_INFINITY, NpyMatrix.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, NpyMatrix.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(NpyMatrix.halfToFloat((short) 0x7e00)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(NpyMatrix.halfToFloat((short) 0x8000)));
    }

    @Test
    void otherTypesAndTruncationAreNamed() throws IOException {
        Path f = dir.resolve("m.npy");
        write(f, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 32);
        BtwException e = assertThrows(BtwException.class, () -> NpyMatrix.open(f));
        assertTrue(e.getMessage().contains("<f8") && e.getMessage().contains("float32"), e.getMessage());
        write(f, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 12);
        e = assertThrows(BtwException.class, () -> NpyMatrix.open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        write(f, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
        e = assertThrows(BtwException.class, () -> NpyMatrix.open(f));
        assertTrue(e.getMessage().contains("Fortran order"), e.getMessage());
        write(f, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 16);
        NpyMatrix m = NpyMatrix.open(f);
        assertEquals(2, m.rows());
        assertEquals(2, m.width());
    }

    private static void write(Path f, String header, int dataBytes) throws IOException {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        Files.write(f, out);
    }
}

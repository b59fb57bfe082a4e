package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} matrix {@code [N, d]} of float32 or float16 (either byte order, C order), memory-mapped: rows
 * are read on demand, as float32, without loading the file. This is how teams usually hold precomputed embeddings
 * (one matrix per modality), and a million rows of 384 floats (1.5 GB) never enter the Java heap whole. Written by
 * hand for the same reason as {@link NpyReader}: the format is a short header followed by raw values.
 *
 * <pre>{@code
 * NpyMatrix m = NpyMatrix.open(Path.of("text.npy"));
 * float[] v = m.row(17);
 * }</pre>
 */
public final class NpyMatrix {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*True");
    private static final long CHUNK_BYTES = 1L << 30;

    private final Path file;
    private final int rows;
    private final int width;
    private final boolean half;
    private final int rowsPerChunk;
    private final ByteBuffer[] chunks;
    private final long dataStart;

    private NpyMatrix(
            Path file, int rows, int width, boolean half, int rowsPerChunk, ByteBuffer[] chunks, long dataStart) {
        this.file = file;
        this.dataStart = dataStart;
        this.rows = rows;
        this.width = width;
        this.half = half;
        this.rowsPerChunk = rowsPerChunk;
        this.chunks = chunks;
    }

    /**
     * Opens and maps a matrix file, checking its header and size (not its values: see {@link #firstNonFinite}).
     *
     * @param file a {@code .npy} file of shape {@code [N, d]}, float32 ({@code <f4}) or float16 ({@code <f2})
     * @return the matrix
     * @throws BtwException when the file is unreadable, not a 2-D float32/float16 C-order {@code .npy}, or truncated
     */
    public static NpyMatrix open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 65_536)).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            byte[] b = head.array();
            if (size < 10
                    || b[0] != (byte) 0x93
                    || b[1] != 'N'
                    || b[2] != 'U'
                    || b[3] != 'M'
                    || b[4] != 'P'
                    || b[5] != 'Y') {
                throw new BtwException("matrix file " + file + " is not a .npy file");
            }
            int major = b[6];
            long headerLen = major == 1 ? head.getShort(8) & 0xffff : head.getInt(8) & 0xffffffffL;
            int start = major == 1 ? 10 : 12;
            if (start + headerLen > b.length) {
                throw new BtwException("matrix file " + file + ": .npy header too long or truncated");
            }
            String header = new String(b, start, (int) headerLen, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !s.find()) {
                throw new BtwException("matrix file " + file + ": unreadable .npy header " + header.strip());
            }
            if (FORTRAN.matcher(header).find()) {
                throw new BtwException("matrix file " + file + " is in Fortran order; save it in C order "
                        + "(numpy.ascontiguousarray)");
            }
            String type = d.group(2) + d.group(3);
            if (!type.equals("f4") && !type.equals("f2")) {
                throw new BtwException("matrix file " + file + " holds " + d.group(1) + type + " values; expected "
                        + "float32 (<f4) or float16 (<f2)");
            }
            long[] shape = Arrays.stream(s.group(1).split(","))
                    .map(String::strip)
                    .filter(x -> !x.isEmpty())
                    .mapToLong(Long::parseLong)
                    .toArray();
            if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
                throw new BtwException("matrix file " + file + " has shape " + Arrays.toString(shape)
                        + "; expected [N, d] (one row per instance)");
            }
            if (shape[0] > Integer.MAX_VALUE - 8) {
                throw new BtwException("matrix file " + file + " has " + shape[0] + " rows; at most "
                        + (Integer.MAX_VALUE - 8) + " are supported");
            }
            boolean half = type.equals("f2");
            int rows = (int) shape[0];
            int width = (int) shape[1];
            long rowBytes = (long) width * (half ? 2 : 4);
            long dataStart = start + headerLen;
            if (size - dataStart < rows * rowBytes) {
                throw new BtwException("matrix file " + file + " is truncated: " + (size - dataStart)
                        + " bytes of values, " + (rows * rowBytes) + " expected for shape [" + rows + ", " + width
                        + "]");
            }
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int rowsPerChunk = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / rowBytes));
            int n = (rows + rowsPerChunk - 1) / rowsPerChunk;
            ByteBuffer[] chunks = new ByteBuffer[n];
            for (int c = 0; c < n; c++) {
                long from = dataStart + (long) c * rowsPerChunk * rowBytes;
                long len = Math.min((long) rows - (long) c * rowsPerChunk, rowsPerChunk) * rowBytes;
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, from, len).order(order);
            }
            return new NpyMatrix(file, rows, width, half, rowsPerChunk, chunks, dataStart);
        } catch (IOException e) {
            throw new BtwException("cannot read matrix file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return N, the number of rows */
    public int rows() {
        return rows;
    }

    /** @return d, the width of every row */
    public int width() {
        return width;
    }

    /** @return whether the values are float16 (else float32) */
    public boolean isHalf() {
        return half;
    }

    /**
     * @param r a row, 0-based
     * @return its values as float32 (a new array)
     */
    public float[] row(int r) {
        float[] out = new float[width];
        copyRow(r, out, 0);
        return out;
    }

    /**
     * Copies one row, as float32, into an array.
     *
     * @param r a row, 0-based
     * @param into the destination
     * @param offset where in {@code into} the row starts
     */
    public void copyRow(int r, float[] into, int offset) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " of " + rows);
        }
        ByteBuffer b = chunks[r / rowsPerChunk];
        int at = (r % rowsPerChunk) * width;
        if (half) {
            ShortBuffer s = b.asShortBuffer();
            for (int j = 0; j < width; j++) {
                into[offset + j] = halfToFloat(s.get(at + j));
            }
        } else {
            FloatBuffer f = b.asFloatBuffer();
            f.position(at);
            f.get(into, offset, width);
        }
    }

    private FileChannel reads;

    /**
     * Reads one row through the file channel, not the mapping: for a pass that reads each row once (encoding into
     * the feature store), so that the rows read do not stay resident in this process as mapped pages do until the
     * mapping is dropped. Close the channel with {@link #closeReads()}.
     *
     * @param r a row, 0-based
     * @return its values as float32 (a new array)
     * @throws BtwException when the file cannot be read
     */
    public float[] readRow(int r) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " of " + rows);
        }
        int rowBytes = width * (half ? 2 : 4);
        ByteBuffer b =
                ByteBuffer.allocate(rowBytes).order(chunks.length > 0 ? chunks[0].order() : ByteOrder.LITTLE_ENDIAN);
        long at = dataStart + (long) r * rowBytes;
        try {
            FileChannel ch = readChannel();
            while (b.hasRemaining()) {
                if (ch.read(b, at + b.position()) < 0) {
                    throw new BtwException("matrix file " + file + " is truncated");
                }
            }
        } catch (IOException e) {
            throw new BtwException("cannot read matrix file " + file + ": " + e.getMessage(), e);
        }
        b.flip();
        float[] out = new float[width];
        if (half) {
            ShortBuffer s = b.asShortBuffer();
            for (int j = 0; j < width; j++) {
                out[j] = halfToFloat(s.get(j));
            }
        } else {
            b.asFloatBuffer().get(out);
        }
        return out;
    }

    private synchronized FileChannel readChannel() throws IOException {
        if (reads == null || !reads.isOpen()) {
            reads = FileChannel.open(file, StandardOpenOption.READ);
        }
        return reads;
    }

    /** Closes the channel {@link #readRow} opened, if any (it is opened again when needed). */
    public synchronized void closeReads() {
        if (reads != null) {
            try {
                reads.close();
            } catch (IOException e) {
                // nothing was written through it
            }
            reads = null;
        }
    }

    /**
     * Finds the first row holding a NaN or an infinity, scanning rows in order.
     *
     * @return {@code {row, column}} of the first non-finite value, or null when every value is finite
     */
    public int[] firstNonFinite() {
        // read through the file channel in blocks rather than through the mapping: a scan of every page would
        // otherwise stay resident in this process (mapped pages count as its memory until the mapping is dropped)
        int rowBytes = width * (half ? 2 : 4);
        int perBlock = Math.max(1, (1 << 20) / rowBytes);
        ByteBuffer block = ByteBuffer.allocate(perBlock * rowBytes).order(chunks[0].order());
        float[] v = new float[width];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int r0 = 0; r0 < rows; r0 += perBlock) {
                int count = Math.min(perBlock, rows - r0);
                block.clear().limit(count * rowBytes);
                long at = dataStart + (long) r0 * rowBytes;
                while (block.hasRemaining()) {
                    if (ch.read(block, at + block.position()) < 0) {
                        throw new BtwException("matrix file " + file + " is truncated");
                    }
                }
                block.flip();
                FloatBuffer f = half ? null : block.asFloatBuffer();
                ShortBuffer s = half ? block.asShortBuffer() : null;
                for (int k = 0; k < count; k++) {
                    for (int j = 0; j < width; j++) {
                        v[j] = half ? halfToFloat(s.get(k * width + j)) : f.get(k * width + j);
                    }
                    for (int j = 0; j < width; j++) {
                        if (!Float.isFinite(v[j])) {
                            return new int[] {r0 + k, j};
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new BtwException("cannot read matrix file " + file + ": " + e.getMessage(), e);
        }
        return null;
    }

    /**
     * IEEE 754 half precision to single precision (Java 17 has no {@code Float.float16ToFloat}).
     *
     * @param h the half-precision bits
     * @return the value
     */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // infinity or NaN
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // signed zero
            }
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}

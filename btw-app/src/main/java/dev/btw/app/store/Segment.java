package dev.btw.app.store;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One committed segment of a modality's store: rows of float32 values plus their ids, presence flags and cell
 * keys. The {@code .f32} file is memory-mapped in chunks of under 2 GiB.
 */
final class Segment {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long CHUNK_BYTES = 1L << 30;

    /** One row's bookkeeping. */
    record Entry(String id, boolean present, String key) {}

    final Path data;
    final List<Entry> entries;
    private final int dimension;
    private final int rowsPerChunk;
    private final FloatBuffer[] chunks;

    private Segment(Path data, List<Entry> entries, int dimension) {
        this.data = data;
        this.entries = entries;
        this.dimension = dimension;
        this.rowsPerChunk = (int) Math.max(1, CHUNK_BYTES / (4L * Math.max(dimension, 1)));
        long expected = 4L * dimension * entries.size();
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            if (ch.size() != expected) {
                throw new BtwException("feature store segment " + data + " has " + ch.size() + " bytes, expected "
                        + expected + " (" + entries.size() + " rows of " + dimension + " floats); delete the folder "
                        + data.getParent() + " to re-encode");
            }
            int n = (entries.size() + rowsPerChunk - 1) / rowsPerChunk;
            chunks = new FloatBuffer[n];
            for (int c = 0; c < n; c++) {
                long start = (long) c * rowsPerChunk * dimension * 4;
                long len = Math.min(expected - start, (long) rowsPerChunk * dimension * 4);
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, start, len)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + data + ": " + e.getMessage(), e);
        }
    }

    static String newName() {
        return String.format("seg-%013d-%06d", System.currentTimeMillis(), COUNTER.incrementAndGet());
    }

    /** @return the committed segments of a fingerprint folder, oldest first */
    static List<Segment> list(Path folder, int dimension) {
        return list(folder, dimension, true);
    }

    /**
     * @param keys whether to read the cell keys (only reuse checks need them; without, every key is empty)
     * @return the committed segments of a fingerprint folder, oldest first
     */
    static List<Segment> list(Path folder, int dimension, boolean keys) {
        List<Segment> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (var s = Files.list(folder)) {
            List<Path> tsv = s.filter(p -> p.getFileName().toString().startsWith("seg-")
                            && p.getFileName().toString().endsWith(".tsv"))
                    .sorted()
                    .toList();
            for (Path t : tsv) {
                String base = t.getFileName().toString().replaceFirst("\\.tsv$", "");
                if (!Files.isRegularFile(folder.resolve(base + ".f32"))) {
                    // an index whose data file is gone (deleted by hand): its rows count as never encoded, so the
                    // next encoding writes them again (and its writer removes the index)
                    continue;
                }
                out.add(new Segment(folder.resolve(base + ".f32"), readEntries(t, keys), dimension));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Entry> readEntries(Path tsv, boolean keys) throws IOException {
        // line by line, without holding the whole file's lines: a million-row index is read at every train
        List<Entry> out = new ArrayList<>();
        try (var r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                int a = line.indexOf('\t');
                int b = line.indexOf('\t', a + 1);
                String present = b < 0 ? line.substring(a + 1) : line.substring(a + 1, b);
                out.add(new Entry(
                        line.substring(0, a), present.equals("1"), keys && b >= 0 ? line.substring(b + 1) : ""));
            }
        }
        return out;
    }

    /**
     * Writes a segment: the floats first, then the index (the commit mark).
     *
     * @return the data file
     */
    static Path write(Path folder, List<Entry> entries, List<float[]> rows, int dimension) throws IOException {
        return write(folder, newName(), entries, rows, dimension);
    }

    /**
     * Writes a segment under a given name (replacing one of that name): the floats first, then the index.
     *
     * @return the data file
     */
    static Path write(Path folder, String name, List<Entry> entries, List<float[]> rows, int dimension)
            throws IOException {
        Path data = folder.resolve(name + ".f32");
        AtomicFiles.write(data, out -> {
            ByteBuffer buf = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            for (float[] r : rows) {
                buf.clear();
                buf.asFloatBuffer().put(r);
                d.write(buf.array());
            }
            d.flush();
        });
        writeIndex(folder.resolve(name + ".tsv"), entries);
        return data;
    }

    static void writeIndex(Path tsv, List<Entry> entries) throws IOException {
        AtomicFiles.writeText(tsv, w -> {
            BufferedWriter b = new BufferedWriter(w, 1 << 16);
            for (Entry e : entries) {
                b.write(e.id());
                b.write(e.present() ? "\t1\t" : "\t0\t");
                b.write(e.key());
                b.write('\n');
            }
            b.flush();
        });
    }

    private FileChannel reads;

    /**
     * Reads row {@code r} through the file channel, not the mapping (a merge reads each row once; mapped pages would
     * stay resident until the mapping is dropped).
     */
    synchronized float[] readRow(int r) throws IOException {
        if (reads == null) {
            reads = FileChannel.open(data, StandardOpenOption.READ);
        }
        ByteBuffer b = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
        long at = 4L * dimension * r;
        while (b.hasRemaining()) {
            if (reads.read(b, at + b.position()) < 0) {
                throw new IOException(data + ": truncated at row " + r);
            }
        }
        b.flip();
        float[] out = new float[dimension];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Deletes the segment: index first, so a crash never leaves an index without its data. */
    void delete() throws IOException {
        synchronized (this) {
            if (reads != null) {
                reads.close();
                reads = null;
            }
        }
        String base = data.getFileName().toString().replaceFirst("\\.f32$", "");
        Files.deleteIfExists(data.resolveSibling(base + ".tsv"));
        Files.deleteIfExists(data);
    }

    int size() {
        return entries.size();
    }

    /** Copies row {@code r} into {@code into} at {@code offset}. */
    void copyRow(int r, float[] into, int offset) {
        FloatBuffer b = chunks[r / rowsPerChunk].duplicate();
        b.position((r % rowsPerChunk) * dimension);
        b.get(into, offset, dimension);
    }

    /** @return the row mappings alone, without the bookkeeping (ids, keys) */
    RowMappings mappings() {
        return new RowMappings(chunks, rowsPerChunk, dimension);
    }

    /** A segment's row mappings: chunks of {@code rowsPerChunk} rows of {@code dimension} floats. */
    record RowMappings(FloatBuffer[] chunks, int rowsPerChunk, int dimension) {
        void copyRow(int r, float[] into, int offset) {
            FloatBuffer b = chunks[r / rowsPerChunk].duplicate();
            b.position((r % rowsPerChunk) * dimension);
            b.get(into, offset, dimension);
        }
    }

    /** @return a read-only view of all rows when the segment fits one mapping, else null */
    FloatBuffer view() {
        return chunks.length == 1 ? chunks[0].asReadOnlyBuffer() : chunks.length == 0 ? FloatBuffer.allocate(0) : null;
    }
}

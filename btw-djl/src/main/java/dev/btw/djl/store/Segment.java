package dev.btw.djl.store;

import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
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
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, start, len).order(ByteOrder.LITTLE_ENDIAN)
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
        List<Segment> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (var s = Files.list(folder)) {
            List<Path> tsv = s.filter(p -> p.getFileName().toString().startsWith("seg-")
                    && p.getFileName().toString().endsWith(".tsv")).sorted().toList();
            for (Path t : tsv) {
                String base = t.getFileName().toString().replaceFirst("\\.tsv$", "");
                out.add(new Segment(folder.resolve(base + ".f32"), readEntries(t), dimension));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Entry> readEntries(Path tsv) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            out.add(new Entry(f[0], f[1].equals("1"), f.length > 2 ? f[2] : ""));
        }
        return out;
    }

    /**
     * Writes a segment: the floats first, then the index (the commit mark).
     *
     * @return the data file
     */
    static Path write(Path folder, List<Entry> entries, List<float[]> rows, int dimension) throws IOException {
        String name = newName();
        Path data = folder.resolve(name + ".f32");
        AtomicFiles.write(data, out -> {
            ByteBuffer buf = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
            DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
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

    /** Deletes the segment: index first, so a crash never leaves an index without its data. */
    void delete() throws IOException {
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

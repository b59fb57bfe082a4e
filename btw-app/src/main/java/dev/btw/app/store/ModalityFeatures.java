package dev.btw.app.store;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cached vectors of one modality (one encoder fingerprint), memory-mapped: ids, a presence mask (false: the
 * modality is missing for that instance, its vector is all zeros), and the rows.
 *
 * <pre>{@code
 * ModalityFeatures text = FeatureStore.open(dir).read("text");
 * ModalityFeatures.Aligned a = text.align(manifest.ids());   // rows in the caller's order
 * NDArray x = manager.create(a.matrix(), new Shape(a.size(), text.dimension()));
 * }</pre>
 */
public final class ModalityFeatures {

    private final String modality;
    private final String encoder;
    private final String fingerprint;
    private final int dimension;
    private final List<String> ids;
    private final boolean[] present;
    private final Segment[] segmentOf;
    private final int[] rowOf;
    private final Map<String, Integer> index;
    private final FloatBuffer single;

    /**
     * Rows picked and ordered by a list of ids.
     *
     * @param ids the ids asked for
     * @param matrix the rows, row-major, {@code ids.size() x dimension}; zeros where absent
     * @param present whether each instance has this modality (false also for ids the store does not hold)
     */
    public record Aligned(List<String> ids, float[] matrix, boolean[] present) {
        /** @return the number of rows */
        public int size() {
            return ids.size();
        }
    }

    ModalityFeatures(String modality, String encoder, String fingerprint, int dimension, List<Segment> segments) {
        this.modality = modality;
        this.encoder = encoder;
        this.fingerprint = fingerprint;
        this.dimension = dimension;
        // ids in order of first appearance; a later segment's row replaces an earlier one's (a re-encoded id)
        int total = 0;
        for (Segment s : segments) {
            total += s.size();
        }
        List<String> order = new ArrayList<>(total);
        Segment[] seg = new Segment[total];
        int[] row = new int[total];
        this.index = new HashMap<>(Math.max(16, total * 4 / 3 + 1));
        for (Segment s : segments) {
            List<Segment.Entry> e = s.entries;
            for (int r = 0; r < e.size(); r++) {
                String id = e.get(r).id();
                Integer at = index.get(id);
                if (at == null) {
                    at = order.size();
                    index.put(id, at);
                    order.add(id);
                }
                seg[at] = s;
                row[at] = r;
            }
        }
        int n = order.size();
        this.ids = order;
        this.segmentOf = n == total ? seg : Arrays.copyOf(seg, n);
        this.rowOf = n == total ? row : Arrays.copyOf(row, n);
        this.present = new boolean[n];
        for (int i = 0; i < n; i++) {
            present[i] = segmentOf[i].entries.get(rowOf[i]).present();
        }
        this.single = segments.size() == 1 && segments.get(0).size() == n
                ? segments.get(0).view()
                : null;
    }

    /** @return the modality's name */
    public String modality() {
        return modality;
    }

    /** @return the encoder's name */
    public String encoder() {
        return encoder;
    }

    /** @return the encoder fingerprint the vectors were computed with */
    public String fingerprint() {
        return fingerprint;
    }

    /** @return the length of every vector */
    public int dimension() {
        return dimension;
    }

    /** @return the number of instances held */
    public int size() {
        return ids.size();
    }

    /** @return the instance ids, in store order */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /**
     * @param id an instance id
     * @return its row in store order, or -1
     */
    public int indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /**
     * @param i a row in store order
     * @return whether the instance has this modality
     */
    public boolean isPresent(int i) {
        return present[i];
    }

    /** @return the presence mask, in store order (a copy) */
    public boolean[] presence() {
        return present.clone();
    }

    /**
     * @param i a row in store order
     * @return its vector (a copy)
     */
    public float[] row(int i) {
        float[] v = new float[dimension];
        segmentOf[i].copyRow(rowOf[i], v, 0);
        return v;
    }

    /**
     * @param i a row in store order
     * @return its vector, read through the segment's file channel rather than its mapping (for a pass that reads
     *     every row once, such as a merge of segments)
     * @throws IOException when the segment cannot be read
     */
    float[] readRow(int i) throws IOException {
        return segmentOf[i].readRow(rowOf[i]);
    }

    /**
     * Copies a row into an array without allocating (training reads its batches this way).
     *
     * @param i a row in store order
     * @param into the destination
     * @param offset where in {@code into} the row starts
     */
    public void copyRow(int i, float[] into, int offset) {
        segmentOf[i].copyRow(rowOf[i], into, offset);
    }

    /**
     * A reader of chosen rows that keeps only their mappings, not the ids and bookkeeping of the whole store (a
     * million ids and keys take hundreds of megabytes of heap): training holds one per modality and split.
     *
     * @param storeRows rows in store order, -1 for none (the reader then gives zeros)
     * @return the reader; its row {@code k} is store row {@code storeRows[k]}
     */
    public RowReader reader(int[] storeRows) {
        Map<Segment, Integer> seen = new IdentityHashMap<>();
        List<Segment.RowMappings> maps = new ArrayList<>();
        int[] seg = new int[storeRows.length];
        int[] row = new int[storeRows.length];
        for (int k = 0; k < storeRows.length; k++) {
            int i = storeRows[k];
            if (i < 0) {
                seg[k] = -1;
                continue;
            }
            Segment s = segmentOf[i];
            Integer at = seen.get(s);
            if (at == null) {
                at = maps.size();
                seen.put(s, at);
                maps.add(s.mappings());
            }
            seg[k] = at;
            row[k] = rowOf[i];
        }
        return new RowReader(dimension, maps.toArray(new Segment.RowMappings[0]), seg, row);
    }

    /** Chosen rows of a modality's store, memory-mapped; see {@link #reader(int[])}. */
    public static final class RowReader {
        private final int dimension;
        private final Segment.RowMappings[] maps;
        private final int[] seg;
        private final int[] row;

        private RowReader(int dimension, Segment.RowMappings[] maps, int[] seg, int[] row) {
            this.dimension = dimension;
            this.maps = maps;
            this.seg = seg;
            this.row = row;
        }

        /** @return the number of rows */
        public int size() {
            return seg.length;
        }

        /** @return the width of every row */
        public int dimension() {
            return dimension;
        }

        /**
         * @param k a row of this reader
         * @return whether it names a store row (else it reads as zeros)
         */
        public boolean holds(int k) {
            return seg[k] >= 0;
        }

        /**
         * Copies row {@code k}, or zeros where it names none.
         *
         * @param k a row of this reader
         * @param into the destination
         * @param offset where in {@code into} the row starts
         */
        public void copyRow(int k, float[] into, int offset) {
            int s = seg[k];
            if (s < 0) {
                Arrays.fill(into, offset, offset + dimension, 0f);
            } else {
                maps[s].copyRow(row[k], into, offset);
            }
        }

        /**
         * @param rows rows of this reader
         * @return a reader of those rows, in that order
         */
        public RowReader select(int[] rows) {
            int[] s = new int[rows.length];
            int[] r = new int[rows.length];
            for (int k = 0; k < rows.length; k++) {
                s[k] = seg[rows[k]];
                r[k] = row[rows[k]];
            }
            return new RowReader(dimension, maps, s, r);
        }
    }

    /** @return the bookkeeping of row {@code i} */
    Segment.Entry entry(int i) {
        return segmentOf[i].entries.get(rowOf[i]);
    }

    /** @return every row, in store order, as arrays (copies) */
    public float[][] toArray() {
        float[][] out = new float[size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /**
     * @return a read-only view of all rows, row-major in store order, without copying; available when the store is
     *     merged (as {@code btw encode} leaves it) and under 1 GiB
     * @throws BtwException otherwise
     */
    public FloatBuffer buffer() {
        if (single == null) {
            throw new BtwException("feature store for modality " + modality + " is not merged into one segment"
                    + " (run btw encode to finish it), or is over 1 GiB; use row() or align()");
        }
        return single.duplicate();
    }

    /**
     * Picks rows by id, in the given order. Ids the store does not hold come back absent.
     *
     * @param wanted ids, e.g. a manifest's or one split's
     * @return the rows and the presence mask
     */
    public Aligned align(List<String> wanted) {
        float[] m = new float[wanted.size() * dimension];
        boolean[] p = new boolean[wanted.size()];
        for (int k = 0; k < wanted.size(); k++) {
            Integer i = index.get(wanted.get(k));
            if (i != null && present[i]) {
                segmentOf[i].copyRow(rowOf[i], m, k * dimension);
                p[k] = true;
            }
        }
        return new Aligned(List.copyOf(wanted), m, p);
    }
}

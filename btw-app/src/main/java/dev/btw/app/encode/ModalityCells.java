package dev.btw.app.encode;

import dev.btw.app.store.StoreInstance;
import dev.btw.core.BtwException;
import dev.btw.core.data.Manifest;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.preprocess.AudioDecoder;
import dev.btw.djl.encoder.preprocess.FrameSampling;
import dev.btw.djl.encoder.preprocess.NpyMatrix;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and validates one modality's manifest cells into {@link StoreInstance}s: an empty cell is a missing
 * modality; a file that cannot be read or a non-numeric tabular cell is an error naming the row and the column.
 * Each instance's key digests its cell (and, for files, their size and modification time), so a changed cell or
 * file is encoded again.
 */
final class ModalityCells {

    /** What a modality's cells hold. */
    enum Kind {
        /** The text itself. */
        TEXT,
        /** A path to one file (a WAV clip, say). */
        FILE,
        /** A path to an image, to a folder of frames, or {@code ;}-separated frame paths. */
        IMAGE,
        /** Numbers, or a path to a {@code .npy}/{@code .csv} file. */
        VECTORS,
        /**
         * A path to an audio file, or to a video file whose soundtrack is read: a file without an audio stream is a
         * missing modality, as an empty cell.
         */
        AUDIO,
        /** A path to a video file read whole by a clip encoder. */
        CLIP
    }

    private ModalityCells() {}

    static List<StoreInstance> tabular(Manifest manifest, List<String> columns) {
        List<StoreInstance> out = new ArrayList<>(manifest.size());
        for (int r = 0; r < manifest.size(); r++) {
            List<String> cells = new ArrayList<>(columns.size());
            boolean all = true;
            for (String c : columns) {
                manifest.number(r, c); // validates: an error names the row and the column
                String v = manifest.cell(r, c);
                all &= v != null;
                cells.add(v == null ? "" : v);
            }
            String id = manifest.ids().get(r);
            out.add(new StoreInstance(id, all ? new EncoderInput(id, cells) : null, key(String.join(",", cells))));
        }
        return out;
    }

    static List<StoreInstance> read(Manifest manifest, String column, Kind kind) {
        return read(manifest, column, kind, FrameSampling.DEFAULT);
    }

    /**
     * Like {@link #read(Manifest, String, Kind)}; video files (in IMAGE and CLIP modalities) are probed first under
     * the sampling policy, and AUDIO cells naming a file without an audio stream become missing instances.
     */
    static List<StoreInstance> read(Manifest manifest, String column, Kind kind, FrameSampling sampling) {
        List<StoreInstance> out = new ArrayList<>(manifest.size());
        for (int r = 0; r < manifest.size(); r++) {
            String id = manifest.ids().get(r);
            String v = manifest.cell(r, column);
            if (v == null) {
                out.add(new StoreInstance(id, null, ""));
            } else if (kind == Kind.CLIP || (kind == Kind.IMAGE && VideoFrames.isVideoFile(v))) {
                Path p = manifest.baseDir().resolve(v).normalize();
                String stamp = stamp(manifest, r, column, p);
                try {
                    VideoFrames.probe(p, sampling);
                } catch (BtwException e) {
                    throw manifest.error(r, column, "instance " + id + ": " + e.getMessage());
                }
                out.add(new StoreInstance(id, EncoderInput.of(id, p.toString()), key(v + "|" + stamp)));
            } else if (kind == Kind.AUDIO) {
                Path p = manifest.baseDir().resolve(v).normalize();
                String stamp = stamp(manifest, r, column, p);
                boolean audio;
                try {
                    audio = AudioDecoder.hasAudioStream(p);
                } catch (BtwException e) {
                    throw manifest.error(r, column, "instance " + id + ": " + e.getMessage());
                }
                // a clip without a soundtrack: the modality is missing for this instance
                out.add(
                        audio
                                ? new StoreInstance(id, EncoderInput.of(id, p.toString()), key(v + "|" + stamp))
                                : new StoreInstance(id, null, ""));
            } else if (kind == Kind.IMAGE
                    && (v.contains(";") || Files.isDirectory(manifest.baseDir().resolve(v)))) {
                out.add(frames(manifest, r, column, id, v));
            } else if (kind == Kind.FILE || kind == Kind.IMAGE) {
                Path p = manifest.baseDir().resolve(v).normalize();
                out.add(new StoreInstance(
                        id, EncoderInput.of(id, p.toString()), key(v + "|" + stamp(manifest, r, column, p))));
            } else if (kind == Kind.VECTORS && looksLikeVectorFile(v)) {
                Path p = manifest.baseDir().resolve(v).normalize();
                out.add(new StoreInstance(id, EncoderInput.of(id, v), key(v + "|" + stamp(manifest, r, column, p))));
            } else {
                out.add(new StoreInstance(id, EncoderInput.of(id, v), key(v)));
            }
        }
        return out;
    }

    /**
     * The instances of a modality held in one matrix file: manifest row r is matrix row r, or, with an ids file,
     * the matrix row its id names (a manifest id the ids file lacks is a missing modality). Checks the row count,
     * the ids file (one id per line, no duplicates) and every value of the matrix (the first row holding a NaN or an
     * infinity is named). Each instance's input is its matrix row; its key digests the file's size, modification
     * time and the row, so a rewritten file is read again.
     *
     * @param manifest the manifest
     * @param modality the modality's name, for messages
     * @param matrix the matrix
     * @param idsFile the ids file, or null for manifest order
     * @return one instance per manifest row
     */
    static List<StoreInstance> matrix(Manifest manifest, String modality, NpyMatrix matrix, Path idsFile) {
        String what = "modality " + modality + ": matrix file " + matrix.file();
        int[] rowOf = new int[manifest.size()];
        List<String> matrixIds = null;
        if (idsFile == null) {
            if (matrix.rows() != manifest.size()) {
                throw new BtwException(what + " has " + matrix.rows() + " rows but the manifest " + manifest.file()
                        + " has " + manifest.size() + "; without 'matrix_ids' row r must be manifest row r");
            }
            for (int r = 0; r < rowOf.length; r++) {
                rowOf[r] = r;
            }
        } else {
            matrixIds = readIds(idsFile, matrix, what);
            Map<String, Integer> index = new HashMap<>(matrixIds.size() * 2);
            for (int i = 0; i < matrixIds.size(); i++) {
                Integer before = index.put(matrixIds.get(i), i);
                if (before != null) {
                    throw new BtwException("modality " + modality + ": ids file " + idsFile + " line " + (i + 1)
                            + ": id '" + matrixIds.get(i) + "' repeats line " + (before + 1));
                }
            }
            for (int r = 0; r < rowOf.length; r++) {
                Integer i = index.get(manifest.ids().get(r));
                rowOf[r] = i == null ? -1 : i;
            }
        }
        int[] bad = matrix.firstNonFinite();
        if (bad != null) {
            float v = matrix.row(bad[0])[bad[1]];
            String id =
                    matrixIds != null ? matrixIds.get(bad[0]) : manifest.ids().get(bad[0]);
            throw new BtwException(what + " row " + bad[0] + " (id " + id + "): column " + bad[1] + " is " + v
                    + "; every value must be finite");
        }
        String stamp;
        try {
            stamp = matrix.file().toAbsolutePath().normalize() + "|" + Files.size(matrix.file()) + "@"
                    + Files.getLastModifiedTime(matrix.file()).toMillis() + "|";
        } catch (IOException e) {
            throw new BtwException("cannot read " + what + ": " + e.getMessage(), e);
        }
        List<StoreInstance> out = new ArrayList<>(manifest.size());
        for (int r = 0; r < rowOf.length; r++) {
            String id = manifest.ids().get(r);
            if (rowOf[r] < 0) {
                out.add(new StoreInstance(id, null, ""));
            } else {
                String row = Integer.toString(rowOf[r]);
                out.add(new StoreInstance(id, EncoderInput.of(id, row), key(stamp + row)));
            }
        }
        return out;
    }

    private static List<String> readIds(Path idsFile, NpyMatrix matrix, String what) {
        List<String> ids;
        try {
            ids = new ArrayList<>(Files.readAllLines(idsFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BtwException("cannot read ids file " + idsFile + ": " + e.getMessage(), e);
        }
        while (!ids.isEmpty() && ids.get(ids.size() - 1).isBlank()) {
            ids.remove(ids.size() - 1); // a final newline
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i).strip();
            if (id.isEmpty()) {
                throw new BtwException("ids file " + idsFile + " line " + (i + 1) + " is empty");
            }
            ids.set(i, id);
        }
        if (ids.size() != matrix.rows()) {
            throw new BtwException(what + " has " + matrix.rows() + " rows but its ids file " + idsFile + " has "
                    + ids.size() + " ids; line i must name row i");
        }
        return ids;
    }

    /** A video cell: every frame must be readable; the key covers every frame. */
    private static StoreInstance frames(Manifest manifest, int r, String column, String id, String v) {
        List<Path> frames = FramePoolingEncoder.frames(v, manifest.baseDir());
        if (frames.isEmpty()) {
            throw manifest.error(r, column, "no image frames in '" + v + "'");
        }
        StringBuilder stamp = new StringBuilder(v);
        for (Path p : frames) {
            stamp.append('|').append(stamp(manifest, r, column, p));
        }
        String resolved = String.join(";", frames.stream().map(Path::toString).toList());
        return new StoreInstance(id, EncoderInput.of(id, resolved), key(stamp.toString()));
    }

    /** @return the file's size and modification time, after checking that it can be read */
    private static String stamp(Manifest manifest, int r, String column, Path p) {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw manifest.error(r, column, "cannot read file " + p);
        }
        try {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw manifest.error(r, column, "cannot read file " + p + ": " + e.getMessage());
        }
    }

    private static boolean looksLikeVectorFile(String v) {
        String l = v.strip().toLowerCase(Locale.ROOT);
        return l.endsWith(".npy") || l.endsWith(".csv") || l.endsWith(".txt");
    }

    private static String key(String s) {
        return Sha256.ofString(s).substring(0, 12);
    }
}

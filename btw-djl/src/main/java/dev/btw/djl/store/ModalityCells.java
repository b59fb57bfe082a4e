package dev.btw.djl.store;

import dev.btw.core.data.Manifest;
import dev.btw.core.io.Sha256;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.FramePoolingEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        VECTORS
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
        List<StoreInstance> out = new ArrayList<>(manifest.size());
        for (int r = 0; r < manifest.size(); r++) {
            String id = manifest.ids().get(r);
            String v = manifest.cell(r, column);
            if (v == null) {
                out.add(new StoreInstance(id, null, ""));
            } else if (kind == Kind.IMAGE && (v.contains(";") || Files.isDirectory(manifest.baseDir().resolve(v)))) {
                out.add(frames(manifest, r, column, id, v));
            } else if (kind == Kind.FILE || kind == Kind.IMAGE) {
                Path p = manifest.baseDir().resolve(v).normalize();
                out.add(new StoreInstance(id, EncoderInput.of(id, p.toString()), key(v + "|" + stamp(manifest, r,
                        column, p))));
            } else if (kind == Kind.VECTORS && looksLikeVectorFile(v)) {
                Path p = manifest.baseDir().resolve(v).normalize();
                out.add(new StoreInstance(id, EncoderInput.of(id, v), key(v + "|" + stamp(manifest, r, column, p))));
            } else {
                out.add(new StoreInstance(id, EncoderInput.of(id, v), key(v)));
            }
        }
        return out;
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

package dev.btw.app.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.FileErrors;
import dev.btw.core.io.Json;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.djl.training.FusedAdam;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * One checkpoint file, written atomically: the run state (JSON), the training weights W, the model parameters,
 * and (for the last checkpoint) the optimiser state. A run killed at any moment finds either the previous or the
 * new file, never a torn one. A checkpoint ends with a trailer (mark, body length, CRC32 of the body), checked by
 * {@link #verify} before every read: a truncated or damaged file is refused naming the file and what to do.
 */
public final class Checkpoint {

    static final ObjectMapper JSON = Json.MAPPER;
    /** The first four bytes of a checkpoint written before checkpoints carried a checksum. */
    private static final int MAGIC = 0x42545743;
    /** The first four bytes of a checkpoint of btw's own training loop, with a checksum trailer. */
    private static final int MAGIC_CHECKED = 0x42545744;
    /**
     * The first four bytes of a checkpoint written by training on DJL's {@code Trainer} (the optimiser's state is
     * {@link FusedAdam}'s, keyed by parameter name), with a checksum trailer.
     */
    private static final int MAGIC_TRAINER = 0x42545745;
    /** The trailer's mark, followed by the body's length (long) and its CRC32 (int). */
    private static final int TRAILER = 0x4352433a;

    private static final int TRAILER_BYTES = 16;

    private Checkpoint() {}

    /**
     * @param file the checkpoint file
     * @param state the run state
     * @param weights the training weights table, or null (all ones)
     * @param model the model
     * @param optimiser the optimiser, or null to leave its state out
     * @throws IOException on failure
     */
    public static void write(Path file, RunState state, ModalityWeights weights, FusionModel model, FusedAdam optimiser)
            throws IOException {
        byte[] json = JSON.writeValueAsBytes(state);
        AtomicFiles.write(file, raw -> {
            BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
            CRC32 crc = new CRC32();
            long[] length = new long[1];
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc) {
                @Override
                public void write(int b) throws IOException {
                    super.write(b);
                    length[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    super.write(b, off, len);
                    length[0] += len;
                }
            });
            out.writeInt(MAGIC_TRAINER);
            out.writeInt(json.length);
            out.write(json);
            writeWeights(out, weights);
            model.saveParameters(out);
            out.writeBoolean(optimiser != null);
            if (optimiser != null) {
                optimiser.save(out);
            }
            out.flush();
            DataOutputStream trailer = new DataOutputStream(buffered);
            trailer.writeInt(TRAILER);
            trailer.writeLong(length[0]);
            trailer.writeInt((int) crc.getValue());
            trailer.flush();
        });
    }

    /**
     * Verifies a checkpoint's checksum (written since checkpoints carry one; an older file without it is accepted).
     *
     * @param file the checkpoint file
     * @throws BtwException naming the file, what is wrong and what to do when it is missing, truncated or damaged
     */
    public static void verify(Path file) {
        try {
            long size = Files.size(file);
            int magic;
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                magic = size < 4 ? 0 : in.readInt();
            }
            if (magic == MAGIC) {
                return;
            }
            if (magic != MAGIC_CHECKED && magic != MAGIC_TRAINER) {
                throw damaged(file, size < 4 ? "truncated to " + size + " bytes" : "not a btw checkpoint");
            }
            if (size < 4 + TRAILER_BYTES) {
                throw damaged(file, "truncated to " + size + " bytes");
            }
            long body = size - TRAILER_BYTES;
            CRC32 crc = new CRC32();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                byte[] buffer = new byte[1 << 16];
                long left = body;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw damaged(file, "truncated");
                    }
                    crc.update(buffer, 0, n);
                    left -= n;
                }
                DataInputStream trailer = new DataInputStream(in);
                int mark = trailer.readInt();
                long length = trailer.readLong();
                int sum = trailer.readInt();
                if (mark != TRAILER || length != body) {
                    throw damaged(file, "truncated or extended (" + size + " bytes, no checksum trailer at its end)");
                }
                if (sum != (int) crc.getValue()) {
                    throw damaged(file, "checksum mismatch");
                }
            }
        } catch (NoSuchFileException e) {
            throw new BtwException("checkpoint " + file + " is missing; " + advice(file), e);
        } catch (IOException e) {
            throw damaged(file, "cannot be read: " + FileErrors.cause(e));
        }
    }

    private static BtwException damaged(Path file, String what) {
        return new BtwException("checkpoint " + file + " is damaged (" + what + "); " + advice(file));
    }

    private static String advice(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return "delete its folder " + folder + " and run the same 'btw train' again with --resume to retrain that "
                + "method and seed (or train into a new --out)";
    }

    /** What {@link #read} restores besides the tensors it copies in place. */
    public record Restored(RunState state, ModalityWeights weights) {}

    /**
     * Reads a checkpoint into a model (in place) and optimiser.
     *
     * @param file the checkpoint file
     * @param model the model, same spec
     * @param optimiser the optimiser to restore, or null to skip its state
     * @return the run state and training weights
     * @throws IOException on failure or a checkpoint of another model
     */
    public static Restored read(Path file, FusionModel model, FusedAdam optimiser) throws IOException {
        verify(file);
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_CHECKED && magic != MAGIC_TRAINER) {
                throw new IOException(file + ": not a btw checkpoint");
            }
            if (magic != MAGIC_TRAINER
                    && (optimiser != null || !model.encoders().isEmpty())) {
                // btw's own loop saved its optimiser and the encoders' in another layout
                throw new BtwException("checkpoint " + file + " was written by an earlier btw's training loop and "
                        + "cannot resume (or hold fine-tuned encoders) here; " + advice(file));
            }
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            RunState state = JSON.readValue(new String(json, StandardCharsets.UTF_8), RunState.class);
            ModalityWeights w = readWeights(in);
            model.loadParameters(in);
            if (in.readBoolean() && optimiser != null) {
                optimiser.load(in, model.trainedBlock().getParameters());
            }
            return new Restored(state, w);
        } catch (EOFException e) {
            throw damaged(file, "truncated");
        }
    }

    private static void writeWeights(DataOutputStream out, ModalityWeights w) throws IOException {
        out.writeBoolean(w != null);
        if (w == null) {
            return;
        }
        out.writeInt(w.size());
        for (String id : w.ids()) {
            out.writeUTF(id);
        }
        out.writeInt(w.modalities().size());
        for (String m : w.modalities()) {
            out.writeUTF(m);
            for (double v : w.column(m)) {
                out.writeDouble(v);
            }
        }
    }

    private static ModalityWeights readWeights(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int n = in.readInt();
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.readUTF();
        }
        int m = in.readInt();
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            String name = in.readUTF();
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = in.readDouble();
            }
            cols.put(name, c);
        }
        return new ModalityWeights(List.of(ids), cols);
    }
}

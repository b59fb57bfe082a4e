package dev.btw.app.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import dev.btw.core.weights.ModalityWeights;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One checkpoint file, written atomically: the run state (JSON), the training weights W, the model parameters,
 * and (for the last checkpoint) the optimiser state. A run killed at any moment finds either the previous or the
 * new file, never a torn one.
 */
public final class Checkpoint {

    static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAGIC = 0x42545743;

    private Checkpoint() {}

    /**
     * @param file the checkpoint file
     * @param state the run state
     * @param weights the training weights table, or null (all ones)
     * @param model the model
     * @param optimiser the optimiser, or null to leave its state out
     * @throws IOException on failure
     */
    public static void write(
            Path file, RunState state, ModalityWeights weights, FusionModel model, FusionAdam optimiser)
            throws IOException {
        byte[] json = JSON.writeValueAsBytes(state);
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(json.length);
            out.write(json);
            writeWeights(out, weights);
            model.saveParameters(out);
            out.writeBoolean(optimiser != null);
            if (optimiser != null) {
                optimiser.save(out);
            }
            out.flush();
        });
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
    public static Restored read(Path file, FusionModel model, FusionAdam optimiser) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a btw checkpoint");
            }
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            RunState state = JSON.readValue(new String(json, StandardCharsets.UTF_8), RunState.class);
            ModalityWeights w = readWeights(in);
            model.loadParameters(in);
            if (in.readBoolean() && optimiser != null) {
                optimiser.load(in);
            }
            return new Restored(state, w);
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

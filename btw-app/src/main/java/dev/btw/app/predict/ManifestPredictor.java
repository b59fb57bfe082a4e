package dev.btw.app.predict;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.experiment.DeviceChoice;
import dev.btw.app.experiment.TabularFeatures;
import dev.btw.app.run.FineTunedEncoders;
import dev.btw.app.store.EncodeProgress;
import dev.btw.core.BtwException;
import dev.btw.core.BtwInternalException;
import dev.btw.core.Task;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.DataConfig;
import dev.btw.core.config.ModalityConfig;
import dev.btw.core.data.Manifest;
import dev.btw.core.io.AtomicFiles;
import dev.btw.djl.encoder.FramePoolingEncoder;
import dev.btw.djl.encoder.TabularEncoder;
import dev.btw.djl.encoder.preprocess.VideoFrames;
import dev.btw.djl.encoder.spec.Preprocess;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.serve.FusionInput;
import dev.btw.djl.serve.FusionModelInfo;
import dev.btw.djl.serve.FusionModels;
import dev.btw.djl.serve.FusionOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Predicts a manifest of new data with an exported model: runs each modality's encoder as training did (the
 * config's encoders; tabular columns as the training data path read them), then the fused model in ONNX
 * Runtime, and writes {@code id} plus {@code prediction} or one probability column per class, then one column
 * {@code weight:<modality>} per modality: the weight the model gave that modality for the instance (per instance
 * under the {@code instance} inference policy, the policy's constant otherwise; 0 where the modality is missing).
 * A file exported before btw wrote modality weights gets no weight columns.
 */
public final class ManifestPredictor {

    private static final int BATCH = 256;

    /** The start of the name of each modality-weight column of the output: {@code weight:<modality>}. */
    public static final String WEIGHT_COLUMN_PREFIX = "weight:";

    private final Path model;
    private final BtwConfig config;
    private final EncodeProgress progress;

    /**
     * @param model an ONNX file written by {@code btw export}
     * @param config the config the model was trained with (its encoders and training manifest)
     * @param progress encoding progress, or null
     */
    public ManifestPredictor(Path model, BtwConfig config, EncodeProgress progress) {
        this.model = model;
        this.config = config;
        this.progress = progress;
    }

    /**
     * @param manifest new data: an id column and the columns the modalities read (split and label optional)
     * @param out the CSV to write, atomically
     * @return the number of instances predicted
     * @throws BtwException on bad input: a missing file or column, a model that is not btw's, modalities that do
     *     not match the config
     */
    public int predict(Path manifest, Path out) {
        FusionModelInfo info = FusionModelInfo.read(model);
        BtwConfig config = withFineTunedEncoders(this.config, FineTunedEncoders.read(model));
        Map<String, ModalityConfig> modalities = new LinkedHashMap<>(config.modalities());
        if (!modalities.keySet().containsAll(info.modalities().keySet())) {
            throw new BtwException(model + " takes modalities "
                    + String.join(", ", info.modalities().keySet()) + " but config " + config.source() + " has "
                    + String.join(", ", modalities.keySet()));
        }
        modalities.keySet().retainAll(info.modalities().keySet());
        DataConfig d = config.data();
        List<String> required = new ArrayList<>();
        for (ModalityConfig m : modalities.values()) {
            if (m.column() != null) {
                required.add(m.column());
            }
            required.addAll(m.columns());
        }
        Manifest data = Manifest.readUnlabelled(manifest, d.id(), d.split(), d.label(), required);
        boolean[] noModality = rowsWithoutModality(data, required);
        Set<String> encodedHere = new LinkedHashSet<>(modalities.keySet());
        encodedHere.removeAll(info.merged().keySet());
        Map<String, float[][]> vectors = TabularFeatures.applies(config)
                ? rawColumns(config, data, modalities)
                : encodedHere.isEmpty()
                        ? Map.of()
                        : ManifestEncoding.builder()
                                .setConfig(config)
                                .optProgress(progress)
                                .build()
                                .encodeRows(data, encodedHere);
        Map<String, String[]> raw = rawCells(data, modalities, info, config.baseDir());
        List<FusionOutput> outputs = run(config, data, vectors, raw, info);
        write(out, data, outputs, info, noModality);
        return data.size();
    }

    /** The predictions' flag column: 1 for a row where no modality is present, else 0. */
    public static final String NO_MODALITY = "no_modality";

    /**
     * The rows where no modality is present (every column a modality reads is empty). The model's output for such a
     * row is its bias alone (close to the class prior); it is still written, as training data may hold such rows too,
     * but flagged in the {@value #NO_MODALITY} column so that no consumer takes it for a prediction from the data.
     */
    static boolean[] rowsWithoutModality(Manifest data, List<String> columns) {
        boolean[] none = new boolean[data.size()];
        for (int row = 0; row < data.size(); row++) {
            boolean any = false;
            for (int c = 0; c < columns.size() && !any; c++) {
                String cell = data.cell(row, columns.get(c));
                any = cell != null && !cell.isBlank();
            }
            none[row] = !any;
        }
        return none;
    }

    /**
     * The config with each fine-tuned modality's encoder replaced by the fine-tuned spec folder exported beside the
     * model, so that new data is encoded as the trained model saw it.
     */
    private static BtwConfig withFineTunedEncoders(BtwConfig config, Map<String, Path> tuned) {
        if (tuned.isEmpty()) {
            return config;
        }
        List<String> overrides = new ArrayList<>();
        for (Map.Entry<String, Path> e : tuned.entrySet()) {
            if (!config.modalities().containsKey(e.getKey())) {
                throw new BtwException("the model's fine-tuned encoder is for modality " + e.getKey()
                        + ", which config " + config.source() + " does not have");
            }
            overrides.add(
                    "modalities." + e.getKey() + ".encoder=" + e.getValue().toAbsolutePath());
            overrides.add("modalities." + e.getKey() + ".fine_tune=false");
        }
        return BtwConfig.parse(config.toYaml(), config.baseDir(), config.source(), overrides);
    }

    /** All-tabular configs train on the raw column values (standardised inside the model). */
    private static Map<String, float[][]> rawColumns(
            BtwConfig config, Manifest data, Map<String, ModalityConfig> modalities) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        DataConfig d = config.data();
        for (ModalityConfig m : modalities.values()) {
            List<String> cols = TabularEncoder.selectColumns(
                    data.columns(), m.columns(), m.pattern(), List.of(d.id(), d.split(), d.label()));
            float[][] v = new float[data.size()][];
            for (int r = 0; r < data.size(); r++) {
                float[] row = new float[cols.size()];
                boolean present = true;
                for (int c = 0; c < cols.size() && present; c++) {
                    double x = data.number(r, cols.get(c));
                    present = !Double.isNaN(x);
                    row[c] = (float) x;
                }
                v[r] = present ? row : null;
            }
            out.put(m.name(), v);
        }
        return out;
    }

    /**
     * The cells of the modalities whose encoder is inside an end-to-end model: texts as they are, image paths
     * resolved against the manifest (one image per instance: frame folders are pooled by the Java encoders only).
     */
    private static Map<String, String[]> rawCells(
            Manifest data, Map<String, ModalityConfig> modalities, FusionModelInfo info, Path configDir) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String m : info.merged().keySet()) {
            ModalityConfig mc = modalities.get(m);
            boolean image = Preprocess.kindOf(SpecLocator.defaults()
                            .find(info.merged().get(m).encoder(), configDir)
                            .preprocess())
                    == Preprocess.Kind.IMAGE;
            String[] cells = new String[data.size()];
            for (int r = 0; r < data.size(); r++) {
                String v = mc.column() == null ? null : data.cell(r, mc.column());
                if (v != null && image) {
                    List<Path> frames = FramePoolingEncoder.frames(v, data.baseDir());
                    if (VideoFrames.isVideoFile(v)) {
                        throw data.error(
                                r,
                                mc.column(),
                                "an end-to-end model takes one image per instance, the cell names a video file; "
                                        + "export the fusion model alone (not end to end) for videos");
                    }
                    if (frames.size() != 1) {
                        throw data.error(
                                r,
                                mc.column(),
                                "an end-to-end model takes one image per instance, the cell " + "names " + frames.size()
                                        + "; export the fusion model alone (not end to end) for frame sequences");
                    }
                    v = frames.get(0).toString();
                }
                cells[r] = v;
            }
            out.put(m, cells);
        }
        return out;
    }

    private List<FusionOutput> run(
            BtwConfig config,
            Manifest data,
            Map<String, float[][]> vectors,
            Map<String, String[]> raw,
            FusionModelInfo info) {
        List<FusionOutput> outputs = new ArrayList<>(data.size());
        try (ZooModel<List<FusionInput>, List<FusionOutput>> zoo = FusionModels.load(
                        model,
                        DeviceChoice.resolve("encode.device", config.encode().device(), "OnnxRuntime"));
                Predictor<List<FusionInput>, List<FusionOutput>> predictor = zoo.newPredictor()) {
            // An end-to-end file runs the encoders in its batches; the int8 text encoders quantise per batch, so
            // batches as the encoders' own (encode.batch, manifest order) give the vectors 'btw encode' stores.
            int step = info.endToEnd() ? config.encode().batch() : BATCH;
            for (int start = 0; start < data.size(); start += step) {
                List<FusionInput> batch = new ArrayList<>();
                for (int r = start; r < Math.min(data.size(), start + step); r++) {
                    FusionInput in = new FusionInput();
                    for (String m : info.modalities().keySet()) {
                        if (raw.containsKey(m)) {
                            in.putRaw(m, raw.get(m)[r]);
                        } else {
                            in.put(m, vectors.get(m)[r]);
                        }
                    }
                    batch.add(in);
                }
                outputs.addAll(predictor.predict(batch));
            }
        } catch (TranslateException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BtwException) {
                throw (BtwException) cause;
            }
            throw new BtwInternalException(model + ": prediction failed: " + cause.getMessage(), e);
        }
        return outputs;
    }

    private static void write(
            Path out, Manifest data, List<FusionOutput> outputs, FusionModelInfo info, boolean[] noModality) {
        StringBuilder sb = new StringBuilder("id");
        if (info.task() == Task.CLASSIFICATION) {
            for (String c : info.classes()) {
                sb.append(',').append(csv(c));
            }
        } else {
            sb.append(",prediction");
        }
        for (String m : info.weightedModalities()) {
            sb.append(',').append(csv(WEIGHT_COLUMN_PREFIX + m));
        }
        sb.append(',').append(NO_MODALITY).append('\n');
        for (int r = 0; r < data.size(); r++) {
            sb.append(csv(data.ids().get(r)));
            FusionOutput o = outputs.get(r);
            for (float v : o.values()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.8g", v));
            }
            for (String m : info.weightedModalities()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.8g", o.weightOf(m)));
            }
            sb.append(noModality[r] ? ",1" : ",0").append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

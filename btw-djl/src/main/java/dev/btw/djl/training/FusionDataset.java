package dev.btw.djl.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.util.Progress;
import dev.btw.core.Task;
import dev.btw.core.data.Standardisation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * A DJL dataset of the inputs of {@link dev.btw.djl.model.MoeFusionBlock}: record {@code i} holds one array per
 * modality ({@code [d_m]}, zeros where missing), the instance's BTW weights {@code [M]} (0 where missing) and its
 * presence mask {@code [M]}; its label is a scalar (the regression value, standardised by
 * {@link Builder#optLabelScale} when set, or the class index).
 *
 * <p>The weights are read at every {@link #get} from the dataset's current weights, which a
 * {@link BtwTrainingListener} replaces after each refresh: every epoch's batches carry the weights of the last
 * refresh before it. Until then every weight is 1.
 *
 * <p>Batches are assembled whole from the dataset's flat arrays ({@link #getData(NDManager, Sampler,
 * ExecutorService)}): one array per input and batch instead of one per instance and input, which DJL's default
 * per-record batching would create and stack. The content is what stacking the records would give.
 *
 * <p>With {@link Builder#optIndexInput} every batch carries one more input after the mask: each instance's index
 * plus an offset ({@code [B]}, int64), for blocks that look up per-instance data of their own (the application's
 * fine-tuned encoders read an instance's image by it).
 */
public final class FusionDataset extends RandomAccessDataset {

    private final Task task;
    private final SplitData data;
    private final Standardisation labelScale;
    private final List<String> modalities;
    private volatile float[] weights;
    private final long indexOffset;

    private FusionDataset(Builder builder) {
        super(builder);
        this.indexOffset = builder.indexOffset;
        this.task = builder.task;
        this.data = builder.splitData();
        this.labelScale = builder.labelScale;
        this.modalities = data.modalities();
        float[] ones = new float[data.size() * modalities.size()];
        Arrays.fill(ones, 1f);
        this.weights = ones;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return the modalities, in the block's order */
    public List<String> modalities() {
        return modalities;
    }

    /** @return the instances in memory: ids, vectors, presence and the labels as given (not standardised) */
    public SplitData splitData() {
        return data;
    }

    /** @return the regression label scaling the records carry, or null when labels are used as given */
    public Standardisation labelScale() {
        return labelScale;
    }

    /**
     * Replaces the weights the next records carry.
     *
     * @param w one row per instance, one column per modality in the block's order
     * @throws IllegalArgumentException when {@code w} is null or does not have one row per instance and one
     *     column per modality
     */
    public void setWeights(double[][] w) {
        int m = modalities.size();
        checkWeights(w, data.size(), modalities);
        float[] next = new float[data.size() * m];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < m; j++) {
                next[i * m + j] = (float) w[i][j];
            }
        }
        weights = next;
    }

    /** Checks a weights matrix against n instances and the modalities, naming what does not fit. */
    static void checkWeights(double[][] w, int n, List<String> modalities) {
        if (w == null) {
            throw new IllegalArgumentException("weights is null");
        }
        if (w.length != n) {
            throw new IllegalArgumentException("weights for " + w.length + " instances, the dataset holds " + n);
        }
        for (int i = 0; i < w.length; i++) {
            if (w[i] == null || w[i].length != modalities.size()) {
                throw new IllegalArgumentException("weights row " + i + " has "
                        + (w[i] == null ? "no values (null)" : w[i].length + " values") + ", one per modality "
                        + modalities + " expected");
            }
        }
    }

    /** @return the current weights, {@code [n][M]} */
    public double[][] weights() {
        int m = modalities.size();
        float[] w = weights;
        double[][] out = new double[data.size()][m];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < m; j++) {
                out[i][j] = w[i * m + j];
            }
        }
        return out;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        int m = modalities.size();
        float[] w = weights;
        NDList inputs = new NDList(m + 2);
        float[] rowWeights = new float[m];
        float[] mask = new float[m];
        for (int j = 0; j < m; j++) {
            String name = modalities.get(j);
            int d = data.dim(name);
            float[] x = new float[d];
            data.copyRow(name, i, x, 0);
            inputs.add(manager.create(x));
            boolean present = data.present(name)[i];
            mask[j] = present ? 1f : 0f;
            rowWeights[j] = present ? w[i * m + j] : 0f;
        }
        inputs.add(manager.create(rowWeights));
        inputs.add(manager.create(mask));
        if (indexOffset >= 0) {
            inputs.add(manager.create(indexOffset + i));
        }
        return new Record(inputs, new NDList(manager.create(label(i))));
    }

    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executorService) {
        // assembled whole per batch: DJL's per-record path would make (M + 3) arrays per instance and stack them
        long total = size();
        return () -> new Iterator<>() {
            private final Iterator<List<Long>> batches = sampler.sample(FusionDataset.this);
            private long done;

            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public Batch next() {
                List<Long> indices = batches.next();
                int[] rows = new int[indices.size()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = Math.toIntExact(indices.get(i));
                }
                NDManager batchManager = manager.newSubManager();
                float[] w = weights;
                NDList data = rowsInputs(batchManager, rows, (i, j) -> w[i * modalities.size() + j]);
                float[] y = new float[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    y[i] = label(rows[i]);
                }
                NDList labels = new NDList(batchManager.create(y));
                done += rows.length;
                return new Batch(
                        batchManager, data, labels, rows.length, dataBatchifier, labelBatchifier, done, total, indices);
            }
        };
    }

    /** A weight by instance and modality. */
    @FunctionalInterface
    private interface WeightOf {
        float get(int instance, int modality);
    }

    /** The block's inputs for the given instances: M feature arrays, weights, mask and (when set) the indices. */
    private NDList rowsInputs(NDManager manager, int[] rows, WeightOf weightOf) {
        int b = rows.length;
        int m = modalities.size();
        NDList list = new NDList(m + 3);
        float[] wb = new float[b * m];
        float[] mask = new float[b * m];
        for (int j = 0; j < m; j++) {
            String name = modalities.get(j);
            int d = data.dim(name);
            // row by row: SplitData.features would copy a store-backed split whole into the heap for every batch
            float[] x = new float[b * d];
            boolean[] present = data.present(name);
            for (int i = 0; i < b; i++) {
                data.copyRow(name, rows[i], x, i * d);
                boolean p = present[rows[i]];
                mask[i * m + j] = p ? 1f : 0f;
                wb[i * m + j] = p ? weightOf.get(rows[i], j) : 0f;
            }
            list.add(manager.create(x, new Shape(b, d)));
        }
        list.add(manager.create(wb, new Shape(b, m)));
        list.add(manager.create(mask, new Shape(b, m)));
        if (indexOffset >= 0) {
            long[] index = new long[b];
            for (int i = 0; i < b; i++) {
                index[i] = indexOffset + rows[i];
            }
            list.add(manager.create(index));
        }
        return list;
    }

    /**
     * The block's inputs for a range of instances under given weights, as one batch (for predictions outside
     * training).
     *
     * @param manager where the arrays go
     * @param from the first instance
     * @param to one past the last
     * @param w weights {@code [n][M]} for every instance of the dataset
     * @return M arrays {@code [B, d_m]}, the weights {@code [B, M]} and the mask {@code [B, M]}
     * @throws IllegalArgumentException when {@code w} is null or does not fit, or the range is out of bounds
     */
    public NDList batchInputs(NDManager manager, int from, int to, double[][] w) {
        if (manager == null) {
            throw new IllegalArgumentException("manager is null");
        }
        if (from < 0 || to > data.size() || from >= to) {
            throw new IllegalArgumentException(
                    "instances [" + from + ", " + to + ") out of the dataset's " + data.size());
        }
        if (w == null || w.length != data.size()) {
            throw new IllegalArgumentException(
                    w == null
                            ? "weights is null"
                            : "weights for " + w.length + " instances, the dataset holds " + data.size());
        }
        for (int i = from; i < to; i++) {
            if (w[i] == null || w[i].length != modalities.size()) {
                throw new IllegalArgumentException(
                        "weights row " + i + " does not hold one value per modality " + modalities);
            }
        }
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rowsInputs(manager, rows, (i, j) -> (float) w[i][j]);
    }

    private float label(int i) {
        double y = data.labels()[i];
        if (task == Task.REGRESSION && labelScale != null) {
            y = (y - labelScale.mean()[0]) / labelScale.std()[0];
        }
        return (float) y;
    }

    @Override
    protected long availableSize() {
        return data.size();
    }

    @Override
    public void prepare(Progress progress) {
        // everything is in memory already
    }

    /** Builds a {@link FusionDataset} from arrays, from flat rows (a feature store's), or from split data. */
    public static final class Builder extends BaseBuilder<Builder> {

        private Task task;
        private final Map<String, float[][]> vectors = new LinkedHashMap<>();
        private final Map<String, Integer> storeDims = new LinkedHashMap<>();
        private final Map<String, float[]> storeRows = new LinkedHashMap<>();
        private final Map<String, boolean[]> storePresence = new LinkedHashMap<>();
        private double[] labels;
        private List<String> ids;
        private SplitData split;
        private Standardisation labelScale;
        private long indexOffset = -1;

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param task regression or classification
         * @return this builder
         */
        public Builder setTask(Task task) {
            if (task == null) {
                throw new IllegalArgumentException("task is null: Task.REGRESSION or Task.CLASSIFICATION");
            }
            this.task = task;
            return this;
        }

        /**
         * Adds a modality from vectors the caller holds. Modalities are in the order they are added, which must be
         * the fusion block's order.
         *
         * @param name the modality's name
         * @param rows one vector per instance, all of one length; a null row marks the modality missing
         * @return this builder
         */
        public Builder addModality(String name, float[][] rows) {
            checkName(name);
            if (rows == null) {
                throw new IllegalArgumentException("rows of modality '" + name + "' is null; a null row (not a "
                        + "null array) marks the modality missing for one instance");
            }
            vectors.put(name, rows);
            return this;
        }

        /**
         * Adds a modality from rows held flat, row-major ({@code [n * dimension]}, zeros where missing), without a
         * copy per row: for instance a feature store's memory-mapped rows aligned with your ids (btw-app's
         * {@code FeatureStore.open(dir).read(name).align(ids)}: {@code matrix()} and {@code present()}).
         *
         * @param name the modality's name
         * @param dimension the width of one row
         * @param rows the rows, {@code n * dimension} values
         * @param present one flag per instance: false marks the modality missing
         * @return this builder
         * @throws IllegalArgumentException when the lengths disagree
         */
        public Builder addModality(String name, int dimension, float[] rows, boolean[] present) {
            checkName(name);
            if (rows == null || present == null) {
                throw new IllegalArgumentException("modality '" + name + "': rows and present must not be null");
            }
            if (dimension < 1 || rows.length != (long) present.length * dimension) {
                throw new IllegalArgumentException("modality " + name + ": " + rows.length + " values for "
                        + present.length + " instances of width " + dimension);
            }
            storeDims.put(name, dimension);
            storeRows.put(name, rows);
            storePresence.put(name, present);
            vectors.put(name, null);
            return this;
        }

        /**
         * @param labels one per instance: the value (regression) or the class index (classification)
         * @return this builder
         */
        public Builder setLabels(double[] labels) {
            if (labels == null) {
                throw new IllegalArgumentException(
                        "labels is null: one value (regression) or class index " + "(classification) per instance");
            }
            this.labels = labels.clone();
            return this;
        }

        /**
         * @param ids the instances' ids (default {@code "0"}, {@code "1"}, ...)
         * @return this builder
         */
        public Builder optIds(List<String> ids) {
            if (ids == null || ids.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("ids is null or holds a null id");
            }
            this.ids = List.copyOf(ids);
            return this;
        }

        /**
         * Takes every instance from split data (what {@code btw train} holds in memory), instead of
         * {@link #addModality} and {@link #setLabels}.
         *
         * @param split the split
         * @return this builder
         */
        public Builder setSplitData(SplitData split) {
            if (split == null) {
                throw new IllegalArgumentException("split is null");
            }
            this.split = split;
            return this;
        }

        /**
         * Trains regression on standardised labels, {@code (y - mean) / std}; the listener maps predictions
         * back. Use the train split's {@code Standardisation.fit(labels)} for every split.
         *
         * @param scale the scaling (one column)
         * @return this builder
         */
        public Builder optLabelScale(Standardisation scale) {
            this.labelScale = scale;
            return this;
        }

        /**
         * Appends each instance's index plus an offset as a last input ({@code [B]}, int64) to every batch, for a
         * block that looks up per-instance data of its own. Give each split its own offset to tell them apart.
         *
         * @param offset added to the instance's index in this dataset; 0 or more
         * @return this builder
         */
        public Builder optIndexInput(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("index offset must be 0 or more, got " + offset);
            }
            this.indexOffset = offset;
            return this;
        }

        private void checkName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("modality name is null or blank");
            }
            if (vectors.containsKey(name)) {
                throw new IllegalArgumentException("modality '" + name + "' is added twice");
            }
        }

        /**
         * @return the dataset
         * @throws IllegalArgumentException when a modality's rows, the labels or the ids disagree in length
         */
        public FusionDataset build() {
            if (task == null) {
                throw new IllegalArgumentException("FusionDataset needs setTask");
            }
            if (sampler == null) {
                throw new IllegalArgumentException("FusionDataset needs setSampling(batchSize, shuffle)");
            }
            return new FusionDataset(this);
        }

        SplitData splitData() {
            if (split != null) {
                return split;
            }
            if (vectors.isEmpty() || labels == null) {
                throw new IllegalArgumentException("FusionDataset needs at least one modality and the labels");
            }
            int n = labels.length;
            List<String> rowIds = ids;
            if (rowIds == null) {
                rowIds = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rowIds.add(Integer.toString(i));
                }
            } else if (rowIds.size() != n) {
                throw new IllegalArgumentException(rowIds.size() + " ids for " + n + " labels");
            }
            Map<String, Integer> dims = new LinkedHashMap<>();
            Map<String, float[]> features = new LinkedHashMap<>();
            Map<String, boolean[]> present = new LinkedHashMap<>();
            for (Map.Entry<String, float[][]> e : vectors.entrySet()) {
                String name = e.getKey();
                if (e.getValue() == null) {
                    dims.put(name, storeDims.get(name));
                    features.put(name, storeRows.get(name));
                    present.put(name, storePresence.get(name));
                    continue;
                }
                float[][] rows = e.getValue();
                if (rows.length != n) {
                    throw new IllegalArgumentException(
                            "modality " + name + ": " + rows.length + " rows for " + n + " labels");
                }
                int d = -1;
                for (float[] r : rows) {
                    if (r != null) {
                        d = r.length;
                        break;
                    }
                }
                if (d <= 0) {
                    throw new IllegalArgumentException("modality " + name + ": no instance has it");
                }
                float[] flat = new float[n * d];
                boolean[] p = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (rows[i] == null) {
                        continue;
                    }
                    if (rows[i].length != d) {
                        throw new IllegalArgumentException("modality " + name + ", instance " + i + ": "
                                + rows[i].length + " values where the first present row has " + d);
                    }
                    System.arraycopy(rows[i], 0, flat, i * d, d);
                    p[i] = true;
                }
                dims.put(name, d);
                features.put(name, flat);
                present.put(name, p);
            }
            return new SplitData(rowIds, dims, features, present, labels);
        }
    }
}

package dev.btw.app.experiment;

import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.training.SplitData;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole data set in memory for training: the task, the modalities with their widths (model order), the class
 * names (classification), and the train, val and test splits.
 */
public final class FusionData {

    private final Task task;
    private final Map<String, Integer> dims;
    private final List<String> classes;
    private final Map<Split, SplitData> splits;
    private Map<String, Standardisation> standardisation = Map.of();
    private Map<String, FineTunedModality> fineTuned = Map.of();

    /**
     * @param task regression or classification
     * @param dims width per modality, in model order
     * @param classes class names (index order) for classification, empty for regression
     * @param splits the three splits
     */
    public FusionData(Task task, Map<String, Integer> dims, List<String> classes, Map<Split, SplitData> splits) {
        this.task = task;
        this.dims = new LinkedHashMap<>(dims);
        this.classes = List.copyOf(classes);
        this.splits = new EnumMap<>(splits);
        for (Split s : Split.values()) {
            if (!splits.containsKey(s)) {
                throw new IllegalArgumentException("missing split " + s);
            }
        }
    }

    /**
     * Records how the features were standardised (train statistics per modality), for export.
     *
     * @param standardisation per modality
     * @return this
     */
    public FusionData withStandardisation(Map<String, Standardisation> standardisation) {
        // insertion order kept (Map.copyOf's order changes between JVM runs, and standardisation.json with it)
        this.standardisation = Collections.unmodifiableMap(new LinkedHashMap<>(standardisation));
        return this;
    }

    /**
     * Marks modalities whose encoder trains with the fusion model: their training reads these images through the
     * encoder instead of the features held here (which keep giving presence and standardisation).
     *
     * @param fineTuned per fine-tuned modality
     * @return this
     */
    public FusionData withFineTuning(Map<String, FineTunedModality> fineTuned) {
        this.fineTuned = Map.copyOf(fineTuned);
        return this;
    }

    /** @return the modalities whose encoder is fine-tuned, empty when none */
    public Map<String, FineTunedModality> fineTuned() {
        return fineTuned;
    }

    /** @return the standardisation applied to each modality's features, empty when not recorded */
    public Map<String, Standardisation> standardisation() {
        return standardisation;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return width per modality, in model order */
    public Map<String, Integer> dims() {
        return new LinkedHashMap<>(dims);
    }

    /** @return modality names in model order */
    public List<String> modalities() {
        return List.copyOf(dims.keySet());
    }

    /** @return class names, empty for regression */
    public List<String> classes() {
        return classes;
    }

    /** @return head outputs: 1 for regression, the class count otherwise */
    public int outputs() {
        return task == Task.REGRESSION ? 1 : classes.size();
    }

    /**
     * @param split a split
     * @return its data
     */
    public SplitData split(Split split) {
        return splits.get(split);
    }

    /**
     * The data of a unimodal reference.
     *
     * @param modality a modality
     * @return every split restricted to the instances that have it, with only that modality
     */
    public FusionData restrictTo(String modality) {
        Map<Split, SplitData> s = new EnumMap<>(Split.class);
        for (Split sp : Split.values()) {
            s.put(sp, splits.get(sp).restrictTo(modality));
        }
        FusionData restricted = new FusionData(task, Map.of(modality, dims.get(modality)), classes, s);
        Standardisation st = standardisation.get(modality);
        if (st != null) {
            restricted.withStandardisation(Map.of(modality, st));
        }
        FineTunedModality f = fineTuned.get(modality);
        return f == null ? restricted : restricted.withFineTuning(Map.of(modality, f));
    }
}

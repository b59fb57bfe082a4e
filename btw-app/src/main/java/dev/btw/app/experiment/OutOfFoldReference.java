package dev.btw.app.experiment;

import ai.djl.Device;
import dev.btw.core.config.BtwSettings;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Folds;
import dev.btw.core.data.Split;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.SplitData;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-fitted train predictions of one unimodal reference ({@code btw.references: out-of-fold}): the reference
 * is trained K times, each time on K-1 folds of its train instances (model selection on the validation split as
 * for the full reference), and predicts the fold it did not see. Folds are seeded, stratified by class for
 * classification, and keep each group of {@code btw.fold_group} in one fold ({@link Folds}).
 *
 * <pre>{@code
 * OutOfFoldReference.Result r = new OutOfFoldReference(data.restrictTo("audio"), spec.restrictTo("audio"),
 *         settings, device, 1111).run(5, groupsById);
 * }</pre>
 */
public final class OutOfFoldReference {

    private final FusionData data;
    private final MoeFusionSpec spec;
    private final TrainSettings settings;
    private final Device device;
    private final long seed;

    /** The predictions and what they cost. */
    public record Result(Predictions train, int[] folds, long nanos) {}

    /**
     * @param data the reference's data: one modality, only the instances having it ({@link FusionData#restrictTo})
     * @param spec the reference's model spec
     * @param settings optimisation settings
     * @param device the device
     * @param seed the seed of the folds and of every fold model
     */
    public OutOfFoldReference(FusionData data, MoeFusionSpec spec, TrainSettings settings, Device device, long seed) {
        this.data = data;
        this.spec = spec;
        this.settings = settings;
        this.device = device;
        this.seed = seed;
    }

    /**
     * @param k the number of folds
     * @param groups the group of each instance id (at least every train id), or null for none
     * @return the out-of-fold predictions, aligned with the reference's train ids
     */
    public Result run(int k, Map<String, String> groups) {
        long t0 = System.nanoTime();
        SplitData train = data.split(Split.TRAIN);
        int n = train.size();
        int[] fold = train.folds(data.task(), groups, k, seed);
        Map<String, double[]> byId = new LinkedHashMap<>();
        BtwSettings none = ConfigDefaults.BTW.withRule(null);
        for (int f = 0; f < k; f++) {
            int[] kept = Folds.rows(fold, f, false);
            int[] held = Folds.rows(fold, f, true);
            Map<Split, SplitData> splits = new EnumMap<>(Split.class);
            splits.put(Split.TRAIN, train.subset(kept));
            splits.put(Split.VAL, data.split(Split.VAL));
            splits.put(Split.TEST, train.subset(held));
            FusionData foldData = new FusionData(data.task(), data.dims(), data.classes(), splits)
                    .withStandardisation(data.standardisation())
                    .withFineTuning(data.fineTuned());
            FusionRun run =
                    new FusionRun(foldData, spec, settings, none, null, device, seed + 7919L * (f + 1), null, null);
            Predictions p = run.run(false).predictions().get(Split.TEST);
            for (int i = 0; i < p.ids().size(); i++) {
                byId.put(p.ids().get(i), p.values()[i]);
            }
        }
        List<String> ids = train.ids();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = byId.get(ids.get(i));
        }
        return new Result(new Predictions(ids, out), fold, System.nanoTime() - t0);
    }
}

package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.djl.model.MoeFusionSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plugin's references: trained with DJL's Trainer on small regression data where {@code signal} predicts y
 * and {@code noise} does not, with {@code signal} missing for some instances.
 */
class ReferenceTrainerTest {

    private static final int N = 120;

    @Test
    void inSampleReferencesPredictEverySplitAlignedWithNullRowsWhereMissing() {
        Map<Split, FusionDataset> splits = splits(new Random(3));
        References refs = trainer(ReferencePolicy.IN_SAMPLE).train(splits);

        assertEquals(List.of("signal", "noise"), refs.modalities());
        assertEquals(ReferencePolicy.IN_SAMPLE, refs.policy());
        for (Split s : Split.values()) {
            SplitData d = splits.get(s).splitData();
            Predictions p = refs.get("signal", s);
            assertEquals(d.ids(), p.ids(), "predictions follow the dataset's instance order");
            boolean[] present = d.present("signal");
            for (int i = 0; i < d.size(); i++) {
                if (present[i]) {
                    assertNotNull(p.values()[i], "a present instance has a prediction");
                } else {
                    assertNull(p.values()[i], "a missing modality has no prediction");
                }
            }
        }
        double signal = refs.sigmas().get("signal");
        double noise = refs.sigmas().get("noise");
        assertTrue(signal < 0.8 * noise, "the informative reference fits better: sigma " + signal + " vs " + noise);
        assertTrue(Double.isFinite(signal) && signal > 0, "sigma is the train RMS residual");
    }

    @Test
    void outOfFoldPredictionsComeFromFoldModelsAndRespectTheListener() {
        Map<Split, FusionDataset> splits = splits(new Random(5));
        References refs = trainer(ReferencePolicy.OUT_OF_FOLD).train(splits);

        Predictions inSample = refs.get("signal", Split.TRAIN);
        Predictions oof = refs.outOfFold("signal");
        assertNotNull(oof);
        assertEquals(inSample.ids(), oof.ids());
        int differ = 0;
        for (int i = 0; i < inSample.values().length; i++) {
            assertEquals(inSample.values()[i] == null, oof.values()[i] == null, "the same instances are present");
            if (inSample.values()[i] != null && inSample.values()[i][0] != oof.values()[i][0]) {
                differ++;
            }
        }
        assertTrue(differ > 0, "fold models are other models than the full reference");
        assertSame(oof, refs.trainForWeights("signal"), "BTW reads the out-of-fold ones");

        BtwTrainingListener listener = BtwTrainingListener.builder()
                .setTrainDataset(splits.get(Split.TRAIN))
                .setValidationDataset(splits.get(Split.VAL))
                .setReferences(refs)
                .build();
        assertNotNull(listener, "the listener takes the references as built");
    }

    @Test
    void groupsMustCoverEveryTrainInstance() {
        Map<Split, FusionDataset> splits = splits(new Random(7));
        Map<String, String> groups = new HashMap<>();
        groups.put("train-0", "a");
        ReferenceTrainer t = ReferenceTrainer.builder()
                .setSpec(spec())
                .optEpochs(1)
                .optPolicy(ReferencePolicy.OUT_OF_FOLD)
                .optFolds(2)
                .optGroups(groups)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(splits));
        assertTrue(e.getMessage().contains("no group for train instance"), e.getMessage());
    }

    @Test
    void aWidthThatIsNotTheSpecsIsNamed() {
        Map<Split, FusionDataset> splits = splits(new Random(9));
        MoeFusionSpec wrong = MoeFusionSpec.builder()
                .addModality("signal", 5)
                .addModality("noise", 3)
                .setOutputs(1)
                .build();
        ReferenceTrainer t =
                ReferenceTrainer.builder().setSpec(wrong).optEpochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(splits));
        assertTrue(
                e.getMessage().contains("modality 'signal'") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ReferenceTrainer.builder().build(), "no spec");
    }

    @Test
    void theSameSeedGivesTheSamePredictions() {
        Map<Split, FusionDataset> splits = splits(new Random(11));
        Predictions a = trainer(ReferencePolicy.IN_SAMPLE).train(splits).get("noise", Split.VAL);
        Predictions b = trainer(ReferencePolicy.IN_SAMPLE).train(splits).get("noise", Split.VAL);
        for (int i = 0; i < a.values().length; i++) {
            assertArrayEquals(a.values()[i], b.values()[i], 0.0);
        }
    }

    private static ReferenceTrainer trainer(ReferencePolicy policy) {
        return ReferenceTrainer.builder()
                .setSpec(spec())
                .optTrainingConfig(() -> new DefaultTrainingConfig(FusionLoss.of(Task.REGRESSION))
                        .optOptimizer(Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(1e-2f))
                                .build()))
                .optEpochs(5)
                .optBatchSize(16)
                .optPolicy(policy)
                .optFolds(2)
                .optSeed(1111)
                .build();
    }

    private static MoeFusionSpec spec() {
        return MoeFusionSpec.builder()
                .addModality("signal", 4)
                .addModality("noise", 3)
                .setOutputs(1)
                .optHidden(8)
                .optLayers(1)
                .optExperts(2)
                .optTopK(1)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
    }

    private static Map<Split, FusionDataset> splits(Random r) {
        Map<Split, double[]> labels = new EnumMap<>(Split.class);
        Map<Split, float[][][]> rows = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            int n = s == Split.TRAIN ? N : N / 4;
            float[][] signal = new float[n][];
            float[][] noise = new float[n][3];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                float[] x = new float[4];
                for (int k = 0; k < 4; k++) {
                    x[k] = (float) r.nextGaussian();
                }
                y[i] = 10 + 3 * (x[0] + 0.5 * x[1] - 0.5 * x[2]) + 0.3 * r.nextGaussian();
                signal[i] = i % 7 == 3 ? null : x;
                for (int k = 0; k < 3; k++) {
                    noise[i][k] = (float) r.nextGaussian();
                }
            }
            labels.put(s, y);
            rows.put(s, new float[][][] {signal, noise});
        }
        Standardisation scale = Standardisation.fit(labels.get(Split.TRAIN));
        Map<Split, FusionDataset> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < labels.get(s).length; i++) {
                ids.add(s.label() + "-" + i);
            }
            out.put(
                    s,
                    FusionDataset.builder()
                            .setTask(Task.REGRESSION)
                            .optIds(ids)
                            .addModality("signal", rows.get(s)[0])
                            .addModality("noise", rows.get(s)[1])
                            .setLabels(labels.get(s))
                            .optLabelScale(scale)
                            .setSampling(16, s == Split.TRAIN)
                            .build());
        }
        return out;
    }
}

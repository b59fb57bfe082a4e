package dev.btw.examples.weightsonly;

import dev.btw.core.weights.BtwRefresh;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.EmaSmoother;
import dev.btw.core.weights.ModalityWeights;
import dev.btw.core.weights.RefreshResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * BTW weights from prediction arrays that any framework produced (here: simulated), with btw-core alone.
 *
 * <p>Two unimodal models predict a regression target: {@code text} is accurate, {@code audio} is mostly noise;
 * the fused model averages them. One BTW refresh gives every instance one weight per modality. The example checks
 * its own outcome: the informative modality gets the larger mutual-information share and the larger mean
 * weight; it exits with status 1 otherwise.
 */
public final class WeightsOnly {

    private WeightsOnly() {}

    /** @param args unused */
    public static void main(String[] args) {
        int n = 500;
        Random random = new Random(42);
        List<String> ids = new ArrayList<>();
        double[] labels = new double[n];
        double[] textPreds = new double[n];
        double[] audioPreds = new double[n];
        double[] fusedPreds = new double[n];
        for (int i = 0; i < n; i++) {
            ids.add("patient-" + i);
            labels[i] = 100 + 15 * random.nextGaussian();
            textPreds[i] = labels[i] + 3 * random.nextGaussian(); // a good text model
            audioPreds[i] = 100 + 15 * random.nextGaussian(); // an audio model that learned nothing
            fusedPreds[i] = 0.8 * textPreds[i] + 0.2 * audioPreds[i]; // the fused model's prediction
        }

        RefreshResult r = BtwRefresh.builder()
                .optRule(CombinationRule.parse("kl*mi"))
                .build()
                .regression(ids, Map.of("text", textPreds, "audio", audioPreds), fusedPreds, labels);
        ModalityWeights w = new EmaSmoother().smooth(r.targets()); // W_i^m by modality name and instance id

        System.out.printf(
                "MI shares: text %.3f, audio %.3f%n",
                r.shares().get("text"), r.shares().get("audio"));
        System.out.printf(
                "mean weights after smoothing: text %.3f, audio %.3f; patient-0: text %.3f, audio %.3f%n",
                w.mean("text"), w.mean("audio"), w.weightOf("patient-0", "text"), w.weightOf("patient-0", "audio"));
        boolean ok = r.shares().get("text") > r.shares().get("audio") && w.mean("text") > w.mean("audio");
        if (!ok) {
            System.err.println("weights-only: the informative modality did not get the larger share and weight");
            System.exit(1);
        }
        System.out.println("weights-only: OK");
    }
}

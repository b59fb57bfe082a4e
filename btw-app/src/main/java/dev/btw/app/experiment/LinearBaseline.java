package dev.btw.app.experiment;

import dev.btw.core.Task;
import dev.btw.core.data.Split;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.training.Predictions;
import dev.btw.djl.training.SplitData;
import dev.btw.djl.training.ValidationMonitor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGradRDA;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The early-fusion linear baseline (method {@code linear}): a regularised linear model (logistic regression for
 * classification, least squares for regression) on all modalities' standardised vectors concatenated, a missing
 * modality entering as zeros (its train mean). Trained with Tribuo's linear SGD trainers (AdaGrad regularised dual
 * averaging with an L2 penalty); the penalty is chosen from {@link #PENALTIES} on the validation monitor (MAE or
 * macro-F1), as the fusion models choose their epoch; test labels are only scored.
 *
 * <pre>{@code
 * LinearBaseline.Outcome o = new LinearBaseline(data, 1111).run();
 * o.predictions().get(Split.TEST);
 * }</pre>
 */
public final class LinearBaseline {

    /** The L2 penalties tried, chosen on validation. */
    public static final double[] PENALTIES = {0, 1e-3, 1e-2, 1e-1, 1};
    /** Passes over the train split. */
    public static final int EPOCHS = 20;

    private static final double LEARNING_RATE = 0.1;
    /** Tribuo's SGD trainers log two INFO lines per fit to java.util.logging; held here so the level sticks. */
    private static final Logger TRIBUO_SGD = quiet("org.tribuo.common.sgd");

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        return logger;
    }

    private final FusionData data;
    private final long seed;
    private final String[] names;

    /** The chosen penalty, its validation monitor, and the predictions of every split. */
    public record Outcome(double penalty, double valMonitor, Map<Split, Predictions> predictions) {}

    /**
     * @param data the data (features already standardised with train statistics)
     * @param seed the seed of the SGD order
     */
    public LinearBaseline(FusionData data, long seed) {
        this.data = data;
        this.seed = seed;
        List<String> n = new ArrayList<>();
        data.dims().forEach((m, d) -> {
            for (int k = 0; k < d; k++) {
                n.add(m + "." + k);
            }
        });
        this.names = n.toArray(new String[0]);
    }

    /** @return the outcome under the penalty with the best validation monitor */
    public Outcome run() {
        SplitData val = data.split(Split.VAL);
        Outcome best = null;
        for (double penalty : PENALTIES) {
            Map<Split, Predictions> p = fit(penalty);
            double monitor = ValidationMonitor.of(data.task(), val.labels(), p.get(Split.VAL));
            if (best == null || ValidationMonitor.better(data.task(), monitor, best.valMonitor())) {
                best = new Outcome(penalty, monitor, p);
            }
        }
        return best;
    }

    private Map<Split, Predictions> fit(double penalty) {
        SplitData train = data.split(Split.TRAIN);
        Map<Split, Predictions> out = new EnumMap<>(Split.class);
        AdaGradRDA optimiser = new AdaGradRDA(LEARNING_RATE, 1e-6, 0, penalty, train.size());
        if (data.task() == Task.CLASSIFICATION) {
            LabelFactory factory = new LabelFactory();
            List<Example<Label>> examples = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                examples.add(new ArrayExample<>(
                        new Label(Integer.toString((int) Math.round(train.labels()[i]))), names, row(train, i)));
            }
            MutableDataset<Label> ds = new MutableDataset<>(new ListDataSource<>(
                    examples, factory, new SimpleDataSourceProvenance("btw train split", factory)));
            Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), optimiser, EPOCHS, -1, 1, seed).train(ds);
            int classes = data.outputs();
            for (Split s : Split.values()) {
                SplitData d = data.split(s);
                double[][] v = new double[d.size()][];
                for (int i = 0; i < d.size(); i++) {
                    Prediction<Label> p =
                            model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, row(d, i)));
                    double[] probs = new double[classes];
                    for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
                        probs[Integer.parseInt(e.getKey())] = e.getValue().getScore();
                    }
                    v[i] = probs;
                }
                out.put(s, new Predictions(d.ids(), v));
            }
        } else {
            // labels standardised like the fusion models', predictions back in label units
            Standardisation scale = FusionRun.labelScale(data);
            double mean = scale.mean()[0];
            double std = scale.std()[0];
            RegressionFactory factory = new RegressionFactory();
            List<Example<Regressor>> examples = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                examples.add(
                        new ArrayExample<>(new Regressor("y", (train.labels()[i] - mean) / std), names, row(train, i)));
            }
            MutableDataset<Regressor> ds = new MutableDataset<>(new ListDataSource<>(
                    examples, factory, new SimpleDataSourceProvenance("btw train split", factory)));
            // fqn: the imported LinearSGDTrainer is the classification one; this is the regression one
            // fqn: LinearSGDTrainer is imported from org.tribuo.classification.sgd.linear.LinearSGDTrainer
            Model<Regressor> model = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                            new SquaredLoss(), optimiser, EPOCHS, -1, 1, seed)
                    .train(ds);
            for (Split s : Split.values()) {
                SplitData d = data.split(s);
                double[][] v = new double[d.size()][];
                for (int i = 0; i < d.size(); i++) {
                    Prediction<Regressor> p =
                            model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row(d, i)));
                    v[i] = new double[] {p.getOutput().getValues()[0] * std + mean};
                }
                out.put(s, new Predictions(d.ids(), v));
            }
        }
        return out;
    }

    /** One instance's concatenated vector, zeros for a missing modality. */
    private double[] row(SplitData d, int i) {
        double[] x = new double[names.length];
        float[] buf = new float[0];
        int offset = 0;
        for (String m : data.modalities()) {
            int dim = data.dims().get(m);
            if (d.present(m)[i]) {
                if (buf.length < dim) {
                    buf = new float[dim];
                }
                d.copyRow(m, i, buf, 0);
                for (int k = 0; k < dim; k++) {
                    x[offset + k] = buf[k];
                }
            }
            offset += dim;
        }
        return x;
    }
}

package dev.btw.app.experiment;

import dev.btw.djl.training.BtwWeightsRefresher;
import java.util.ArrayList;
import java.util.List;

/** The bookkeeping of one training run that a checkpoint carries besides the tensors (serialised as JSON). */
public final class RunState {
    /** Last completed epoch (0 before the first). */
    public int epoch;
    /** Best validation monitor so far. */
    public double best = Double.NaN;
    /** Epoch of the best monitor. */
    public int bestEpoch;
    /** Epochs since the best. */
    public int sinceBest;
    /** Whether early stopping ended the run. */
    public boolean stopped;
    /** ReduceLROnPlateau: its best and bad-epoch count. */
    public double[] plateau;
    /** Mean training loss per epoch. */
    public List<Double> trainLoss = new ArrayList<>();
    /** Validation monitor per epoch. */
    public List<Double> valMonitor = new ArrayList<>();
    /** Learning rate per epoch. */
    public List<Double> learningRate = new ArrayList<>();
    /** Wall time of each epoch's training pass, in nanoseconds (not part of any metric). */
    public List<Long> epochNanos = new ArrayList<>();
    /** The BTW refresher's state. */
    public BtwWeightsRefresher.RefresherState btw;
}

package dev.btw.app.experiment;

import dev.btw.core.config.TrainConfig;

/**
 * The optimisation settings of one training run.
 *
 * @param epochs the most epochs
 * @param batch instances per step
 * @param lr Adam's learning rate
 * @param weightDecay Adam's L2 weight decay
 * @param clip the gradient-norm clip (0: none)
 * @param patience epochs without validation improvement before early stopping
 * @param lrFactor ReduceLROnPlateau's factor
 * @param lrPatience ReduceLROnPlateau's patience
 */
public record TrainSettings(
        int epochs,
        int batch,
        double lr,
        double weightDecay,
        double clip,
        int patience,
        double lrFactor,
        int lrPatience) {

    /**
     * @param c the config's train section
     * @return the settings
     */
    public static TrainSettings of(TrainConfig c) {
        return new TrainSettings(
                c.epochs(), c.batch(), c.lr(), c.weightDecay(), c.clip(), c.patience(), c.lrFactor(), c.lrPatience());
    }
}

package dev.btw.djl.encoder;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import java.util.ArrayList;
import java.util.List;

/**
 * One DJL {@link Predictor} per thread over a shared model (a model is thread-safe, a predictor is not).
 *
 * @param <I> the input type
 * @param <O> the output type
 */
final class Predictors<I, O> implements AutoCloseable {

    private final ZooModel<I, O> model;
    private final List<Predictor<I, O>> all = new ArrayList<>();
    private final ThreadLocal<Predictor<I, O>> local;

    Predictors(ZooModel<I, O> model) {
        this.model = model;
        this.local = ThreadLocal.withInitial(() -> {
            Predictor<I, O> p = model.newPredictor();
            synchronized (all) {
                all.add(p);
            }
            return p;
        });
    }

    ZooModel<I, O> model() {
        return model;
    }

    Predictor<I, O> get() {
        return local.get();
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Predictor::close);
            all.clear();
        }
        model.close();
    }
}

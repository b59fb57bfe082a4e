package dev.btw.data;

import dev.btw.core.BtwException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Runs independent per-item steps (one tool call per file) on all cores; the first failure is rethrown. */
final class Parallel {

    private Parallel() {}

    static <T> void forEach(List<T> items, Consumer<T> step, String what, Consumer<String> progress) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "btw-recipe");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        int tenth = Math.max(1, items.size() / 10);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    step.accept(item);
                    int d = done.incrementAndGet();
                    if (d % tenth == 0 || d == items.size()) {
                        progress.accept(what + ": " + d + "/" + items.size());
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new BtwException(what + " failed: " + c, c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BtwException("interrupted during " + what, e);
        } finally {
            pool.shutdownNow();
        }
    }
}

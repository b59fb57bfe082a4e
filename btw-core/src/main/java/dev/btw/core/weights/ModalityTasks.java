package dev.btw.core.weights;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs tasks 0..count-1 (per modality, or per part of one) on the calling thread and up to {@code threads - 1}
 * helper threads, each taking the next index not yet taken, in index order. Plain threads rather than a shared
 * pool: the tasks are few and long (milliseconds each), the count is exact, and no pool outlives the call. Tasks must not throw (they record
 * their failures); an {@link Error} in a helper is rethrown on the calling thread.
 */
final class ModalityTasks {

    private ModalityTasks() {}

    /**
     * @param count the number of tasks (indices 0..count-1)
     * @param threads the most threads to use, the calling one included
     * @param task the task of one index
     */
    static void run(int count, int threads, IntConsumer task) {
        int helpers = Math.min(threads, count) - 1;
        if (helpers <= 0) {
            for (int m = 0; m < count; m++) {
                task.accept(m);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int m = next.getAndIncrement(); m < count; m = next.getAndIncrement()) {
                task.accept(m);
            }
        };
        Thread[] started = new Thread[helpers];
        Throwable[] thrown = new Throwable[helpers];
        for (int h = 0; h < helpers; h++) {
            int slot = h;
            Thread t = new Thread(
                    () -> {
                        try {
                            worker.run();
                        } catch (Throwable e) {
                            thrown[slot] = e;
                        }
                    },
                    "btw-refresh-" + h);
            t.setDaemon(true);
            started[h] = t;
            t.start();
        }
        worker.run();
        boolean interrupted = false;
        for (Thread t : started) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable e : thrown) {
            if (e instanceof Error) {
                throw (Error) e;
            } else if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
        }
    }
}

package dev.btw.app.experiment;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Tunes glibc's allocator for training, once per process. Every step of the fusion model allocates and frees
 * gradient buffers and optimiser temporaries of up to tens of megabytes (the stacked expert weights); with
 * glibc's defaults such blocks are mapped fresh from the kernel and page-faulted on every step, which costs more
 * than the arithmetic. {@code mallopt} raises the mmap threshold to its maximum (32 MiB) and stops returning freed
 * heap memory to the kernel, so the same pages serve every step. The same effect as starting the JVM with
 * {@code MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296}; set {@code BTW_MALLOC_TUNING=off} to
 * skip it. Only on Linux with glibc; elsewhere, and on any failure, nothing happens. (JNA comes with DJL's api.)
 */
public final class MallocTuning {

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static volatile Boolean applied;

    /** glibc's {@code mallopt}. */
    interface CLibrary extends Library {
        int mallopt(int param, int value);
    }

    private MallocTuning() {}

    /** @return whether the tuning is in effect (applies it on first call) */
    public static synchronized boolean apply() {
        if (applied != null) {
            return applied;
        }
        boolean ok = false;
        if (Platform.isLinux()
                && !"off".equalsIgnoreCase(System.getenv("BTW_MALLOC_TUNING"))
                && System.getenv("MALLOC_MMAP_THRESHOLD_") == null) {
            try {
                CLibrary c = Native.load("c", CLibrary.class);
                ok = c.mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
                ok &= c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1;
                ok &= c.mallopt(M_TOP_PAD, 64 * 1024 * 1024) == 1;
            } catch (LinkageError | RuntimeException e) {
                ok = false;
            }
        } else if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null) {
            ok = true;
        }
        applied = ok;
        return ok;
    }
}

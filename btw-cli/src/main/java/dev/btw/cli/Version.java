package dev.btw.cli;

/** The version of btw, read from the jar manifest when packaged. */
public final class Version {

    private Version() {}

    /** @return the implementation version, or {@code dev} when run from classes */
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}

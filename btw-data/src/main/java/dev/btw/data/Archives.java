package dev.btw.data;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Unpacks fetched packages: npm tarballs with {@code tar}, Debian packages with {@code dpkg -x}. */
public final class Archives {

    private final ToolRunner tools;

    /** @param tools runs tar and dpkg */
    public Archives(ToolRunner tools) {
        this.tools = tools;
    }

    /**
     * Extracts members of an archive and copies them to chosen destinations.
     *
     * @param archive a {@code .tgz} or {@code .deb}
     * @param members member path inside the archive (for a deb, without the leading {@code ./}) to destination
     * @throws BtwException when the archive cannot be unpacked or a member is missing (naming it)
     */
    public void extract(Path archive, Map<String, Path> members) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("btw-unpack-");
            String name = archive.getFileName().toString();
            if (name.endsWith(".deb")) {
                tools.require("dpkg", "dpkg");
                tools.run(
                        List.of("dpkg", "-x", archive.toAbsolutePath().toString(), tmp.toString()),
                        null,
                        Duration.ofMinutes(5),
                        "unpack " + name);
            } else {
                tools.require("tar", "tar");
                List<String> cmd = new ArrayList<>(
                        List.of("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString()));
                cmd.addAll(members.keySet());
                tools.run(cmd, null, Duration.ofMinutes(5), "unpack " + name);
            }
            for (Map.Entry<String, Path> m : members.entrySet()) {
                Path src = tmp.resolve(m.getKey());
                if (!Files.isRegularFile(src)) {
                    throw new BtwException(name + " has no member '" + m.getKey() + "'");
                }
                Files.createDirectories(m.getValue().toAbsolutePath().getParent());
                Files.copy(src, m.getValue(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + ": " + e.getMessage(), e);
        } finally {
            Staging.deleteTree(tmp);
        }
    }

    /**
     * Extracts a whole Debian package into a folder.
     *
     * @param deb the package file
     * @param dest the folder to unpack into
     */
    public void unpackDeb(Path deb, Path dest) {
        tools.require("dpkg", "dpkg");
        tools.run(
                List.of(
                        "dpkg",
                        "-x",
                        deb.toAbsolutePath().toString(),
                        dest.toAbsolutePath().toString()),
                null,
                Duration.ofMinutes(5),
                "unpack " + deb.getFileName());
    }
}

package dev.btw.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's header and emptiness (issue 23): a repeated column is refused naming both positions, a UTF-8
 * byte-order mark is accepted, an empty or header-only manifest says so; and a YAML syntax error names its line and
 * column.
 */
class ManifestHeaderTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("m.csv");
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static Manifest read(Path f, String... required) {
        return Manifest.read(f, "id", "split", "label", List.of(required));
    }

    @Test
    void aRepeatedColumnIsRefusedNamingBothPositions() throws IOException {
        Path f = write("id,split,label,a,a,c,v\ni1,train,1,1,2,3,4\n");
        BtwException e = assertThrows(BtwException.class, () -> read(f, "a", "c"));
        assertTrue(
                e.getMessage().contains("column 'a' appears twice in the header, as columns 4 and 5"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsAccepted() throws IOException {
        Manifest m = read(write("\uFEFFid,split,label,a\ni1,train,1,0.5\n"), "a");
        assertEquals(List.of("id", "split", "label", "a"), m.columns());
        assertEquals(List.of("i1"), m.ids());
    }

    @Test
    void anEmptyOrHeaderOnlyManifestSaysSo() throws IOException {
        BtwException empty = assertThrows(BtwException.class, () -> read(write(""), "a"));
        assertTrue(empty.getMessage().contains("the manifest is empty"), empty.getMessage());
        BtwException headerOnly = assertThrows(BtwException.class, () -> read(write("id,split,label,a\n"), "a"));
        assertTrue(headerOnly.getMessage().contains("the manifest has a header but no rows"), headerOnly.getMessage());
    }

    @Test
    void aYamlSyntaxErrorNamesLineAndColumn() {
        String yaml = "task: classification\ndata: { manifest: m.csv\nmodalities: {}\n";
        BtwException e = assertThrows(BtwException.class, () -> BtwConfig.parse(yaml, dir, "c.yaml", List.of()));
        assertTrue(
                e.getMessage().matches("(?s)c\\.yaml:\\d+:\\d+: not valid YAML at line \\d+, column \\d+: .*"),
                e.getMessage());
    }
}

package dev.btw.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, text);
        return f;
    }

    private Manifest read(Path f, String... required) {
        return Manifest.read(f, "id", "split", "label", List.of(required));
    }

    @Test
    void readsRowsSplitsAndMissingCells() throws IOException {
        Manifest m = read(
                write("id,split,label,age,text\na,train,1.5,30,hello\nb,val,2,,\"x, y\"\nc,test,3,50,\n"),
                "age",
                "text");
        assertEquals(3, m.size());
        assertEquals(List.of("a", "b", "c"), m.ids());
        assertEquals(Split.VAL, m.split(1));
        assertArrayEquals(new int[] {0}, m.rowsOf(Split.TRAIN));
        assertEquals(30.0, m.number(0, "age"));
        assertTrue(Double.isNaN(m.number(1, "age")));
        assertEquals("x, y", m.cell(1, "text"));
        assertNull(m.cell(2, "text"));
        assertEquals("3", m.label(2));
        assertEquals(2, m.rowOf("c"));
        assertEquals(-1, m.rowOf("zz"));
    }

    @Test
    void errorsNameRowAndColumn() throws IOException {
        BtwException e = assertThrows(BtwException.class, () -> read(write("id,split,label\na,train,1\na,val,2\n")));
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("duplicate id 'a'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> read(write("id,split,label\na,training,1\n")));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("'split'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> read(write("id,split,label\na,train,1\n"), "age"));
        assertTrue(e.getMessage().contains("no column 'age'"), e.getMessage());
        Manifest m = read(write("id,split,label,age\na,train,1,old\nb,train,1,NaN\n"), "age");
        e = assertThrows(BtwException.class, () -> m.number(0, "age"));
        assertTrue(e.getMessage().contains("row 2, column 'age'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> m.number(1, "age"));
        assertTrue(e.getMessage().contains("row 3, column 'age'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> read(dir.resolve("none.csv")));
        assertTrue(e.getMessage().contains("none.csv"), e.getMessage());
        e = assertThrows(BtwException.class, () -> read(write("id,split,label\na,train\n")));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    }

    @Test
    void unlabelledDataNeedsNoSplitOrLabel() throws IOException {
        Manifest m = Manifest.readUnlabelled(write("id,age\na,30\nb,\n"), "id", "split", "label", List.of("age"));
        assertEquals(2, m.size());
        assertEquals(Split.TEST, m.split(1));
        assertNull(m.label(0));
        assertTrue(!m.hasLabels());
        BtwException e = assertThrows(
                BtwException.class,
                () -> Manifest.readUnlabelled(write("id,split\na,later\n"), "id", "split", "label", List.of()));
        assertTrue(e.getMessage().contains("'split'"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> Manifest.readUnlabelled(write("id\na\n"), "id", "split", "label", List.of("age")));
        assertTrue(e.getMessage().contains("no column 'age'"), e.getMessage());
    }
}

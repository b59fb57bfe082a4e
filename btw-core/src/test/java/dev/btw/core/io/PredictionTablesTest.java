package dev.btw.core.io;

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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class PredictionTablesTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static void assertMessage(String expected, Executable e) {
        BtwException x = assertThrows(BtwException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }

    @Test
    void regressionTablesAlignById() throws IOException {
        Path u = file("u.csv", "id,text,audio\na,1.5,\nb,2,3\n");
        RegressionPredictions r = PredictionTables.readUnimodalRegression(u);
        assertEquals(List.of("a", "b"), r.ids());
        assertTrue(Double.isNaN(r.byModality().get("audio")[0]));
        Path q = file("q.csv", "prediction,id\n0.5,b\n0.25,a\n");
        assertArrayEquals(new double[] {0.25, 0.5}, PredictionTables.readFusedRegression(q, r.ids(), u), 0.0);
        Path y = file("y.csv", "id,label\nb,1\na,2\n");
        assertArrayEquals(new double[] {2, 1}, PredictionTables.readLabels(y, r.ids(), u), 0.0);
    }

    @Test
    void classificationTablesReadClassesAndMissingRows() throws IOException {
        Path u = file("u.csv", "id,text:neg,text:pos,audio:pos,audio:neg\na,0.2,0.8,,\nb,0.5,0.5,0.9,0.1\n");
        ClassPredictions c = PredictionTables.readUnimodalClassification(u);
        assertEquals(List.of("neg", "pos"), c.classes());
        assertNull(c.byModality().get("audio")[0]);
        assertArrayEquals(new double[] {0.1, 0.9}, c.byModality().get("audio")[1], 0.0);
        Path q = file("q.csv", "id,pos,neg,label\na,0.7,0.3,pos\nb,0.4,0.6,neg\n");
        double[][] fused = PredictionTables.readFusedClassification(q, c.ids(), c.classes(), u);
        assertArrayEquals(new double[] {0.3, 0.7}, fused[0], 0.0);
    }

    @Test
    void badFilesNameFileLineAndColumn() throws IOException {
        Path ok = file("ok.csv", "id,text\na,1\nb,2\n");
        assertMessage("no such file", () -> PredictionTables.readUnimodalRegression(dir.resolve("none.csv")));
        assertMessage(
                "no 'id' column", () -> PredictionTables.readUnimodalRegression(file("noid.csv", "key,text\na,1\n")));
        assertMessage(
                "line 3: duplicate id 'a'",
                () -> PredictionTables.readUnimodalRegression(file("dup.csv", "id,text\na,1\na,2\n")));
        assertMessage(
                "line 2, column 'text': not a number: 'x'",
                () -> PredictionTables.readUnimodalRegression(file("nan.csv", "id,text\na,x\n")));
        assertMessage(
                "line 2, column 'text': NaN is not allowed",
                () -> PredictionTables.readUnimodalRegression(file("nan2.csv", "id,text\na,NaN\n")));
        assertMessage(
                "unknown id 'c'",
                () -> PredictionTables.readFusedRegression(
                        file("q1.csv", "id,prediction\na,1\nb,2\nc,3\n"), List.of("a", "b"), ok));
        assertMessage(
                "no row for id 'b'",
                () -> PredictionTables.readFusedRegression(
                        file("q2.csv", "id,prediction\na,1\n"), List.of("a", "b"), ok));
        assertMessage(
                "no 'prediction' column",
                () -> PredictionTables.readFusedRegression(
                        file("q3.csv", "id,pred\na,1\nb,2\n"), List.of("a", "b"), ok));
        assertMessage(
                "empty cell",
                () -> PredictionTables.readFusedRegression(
                        file("q4.csv", "id,prediction\na,\nb,2\n"), List.of("a", "b"), ok));
        assertMessage(
                "mismatched classes",
                () -> PredictionTables.readUnimodalClassification(
                        file("c1.csv", "id,text:neg,text:pos,audio:neg,audio:neutral\na,0.5,0.5,0.5,0.5\n")));
        assertMessage(
                "some probabilities of modality 'text' are empty",
                () -> PredictionTables.readUnimodalClassification(file("c2.csv", "id,text:neg,text:pos\na,0.5,\n")));
        assertMessage(
                "is not named <modality>:<class>",
                () -> PredictionTables.readUnimodalClassification(file("c3.csv", "id,text\na,0.5\n")));
        assertMessage(
                "mismatched classes",
                () -> PredictionTables.readFusedClassification(
                        file("c4.csv", "id,neg,neutral\na,0.5,0.5\n"), List.of("a"), List.of("neg", "pos"), ok));
        assertMessage(
                "line 3 has 3 cells",
                () -> PredictionTables.readUnimodalRegression(file("ragged.csv", "id,text\na,1\nb,2,3\n")));
    }
}

package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.cli.Btw;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    Path run;

    @Test
    void scoresEverySeedsPredictionFile() throws Exception {
        Files.writeString(run.resolve("metrics.json"), "{\"task\":\"regression\",\"methods\":{\"kl*mi\":{}}}");
        for (String seed : new String[] {"seed-1", "seed-2"}) {
            Path dir = Files.createDirectories(run.resolve("predictions").resolve(seed));
            double off = seed.equals("seed-1") ? 1.0 : 3.0;
            Files.writeString(
                    dir.resolve("kl_mi-test.csv"),
                    "id,prediction,label\na," + (1 + off) + ",1\nb," + (2 - off) + ",2\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Btw()
                .run(new String[] {"evaluate", "--run", run.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(0, status, err.toString());
        // MAE 1 and 3: mean 2, sample std sqrt(2)
        assertTrue(out.toString().contains("kl*mi                    2.0000 ± 1.4142"), out.toString());
        status = new Btw()
                .run(
                        new String[] {"evaluate", "--run", run.toString(), "--split", "dev"},
                        new PrintStream(out),
                        new PrintStream(err));
        assertEquals(2, status);
        Files.writeString(
                run.resolve("predictions").resolve("seed-1").resolve("kl_mi-test.csv"), "id,prediction,label\na,x,1\n");
        status = new Btw()
                .run(new String[] {"evaluate", "--run", run.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString().contains("column 'prediction': not a number"), err.toString());
    }
}

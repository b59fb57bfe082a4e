package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.cli.Btw;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code btw fetch} and {@code btw encode} with the project's own TorchScript encoder. */
class EncodeCommandTest {

    @TempDir
    Path dir;

    private String lastOut;
    private String lastErr;
    private Path models;

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        lastOut = out.toString(StandardCharsets.UTF_8);
        lastErr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("btw.home", dir.resolve("home").toString());
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models").resolve("mnist-cnn"))) {
                models = p.resolve("models");
                break;
            }
        }
        List<String> rows = new ArrayList<>(List.of("id,split,label,image,age,bmi,vec"));
        for (int i = 0; i < 20; i++) {
            Path png = dir.resolve("d" + i + ".png");
            Files.copy(
                    models.resolveSibling("btw-djl/src/test/resources/digits/" + (i % 10) + "-" + (i / 10) + ".png"),
                    png);
            String split = i < 14 ? "train" : i < 17 ? "val" : "test";
            rows.add(String.join(
                    ",",
                    "s" + i,
                    split,
                    Integer.toString(i % 10),
                    i == 4 ? "" : png.getFileName().toString(),
                    Integer.toString(20 + i),
                    i == 6 ? "" : Double.toString(20 + 0.3 * i),
                    "\"" + i + " 1\""));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Files.writeString(
                dir.resolve("config.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  image: { encoder: "
                        + models.resolve("mnist-cnn").toString().replace('\\', '/')
                        + ", column: image }\n"
                        + "  labs: { encoder: columns, pattern: \"age|bmi\" }\n"
                        + "  pre: { encoder: vectors, column: vec }\n"
                        + "encode: { batch: 4, store: features }\n");
    }

    @Test
    void encodesThenFindsEverythingCached() {
        assertEquals(0, run("encode", "--config", dir.resolve("config.yaml").toString()), lastErr);
        assertTrue(
                lastOut.contains("image: encoder mnist-cnn") && lastOut.contains("19 encoded, 0 cached, 1 missing"),
                lastOut);
        assertTrue(lastErr.contains("encode image: 20/20 (100%)"), "plain progress lines off a terminal: " + lastErr);
        ModalityFeatures image = FeatureStore.open(dir.resolve("features")).read("image");
        assertEquals(32, image.dimension());
        assertEquals(2, FeatureStore.open(dir.resolve("features")).read("labs").dimension());
        assertEquals(0, run("encode", "--config", dir.resolve("config.yaml").toString()), lastErr);
        assertTrue(lastOut.contains("image: encoder mnist-cnn") && lastOut.contains("0 encoded, 20 cached"), lastOut);
    }

    @Test
    void badInputExitsWithTwoAndNamesRowAndColumn() throws IOException {
        Path m = dir.resolve("manifest.csv");
        Files.writeString(m, Files.readString(m).replace("s3,train,3,d3.png,23,", "s3,train,3,d3.png,twenty,"));
        assertEquals(2, run("encode", "--config", dir.resolve("config.yaml").toString()));
        assertTrue(
                lastErr.contains("row 5") && lastErr.contains("column 'age'") && lastErr.contains("twenty"), lastErr);
        assertEquals(1, lastErr.strip().lines().count(), lastErr);
    }

    @Test
    void anEngineCrashIsAnInternalFailureExitingWithOne() throws IOException {
        // a copy of mnist-cnn whose preprocessing gives 20x20 images: the model's linear layer fails inside libtorch
        Path bad = Files.createDirectories(dir.resolve("bad").resolve("mnist-cnn"));
        Files.copy(models.resolve("mnist-cnn/mnist-cnn.pt"), bad.resolve("mnist-cnn.pt"));
        Files.writeString(
                bad.resolve("spec.yaml"),
                Files.readString(models.resolve("mnist-cnn/spec.yaml"))
                        .replace("height: 28, width: 28", "height: 20, width: 20"));
        Files.writeString(
                dir.resolve("bad.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  image: { encoder: " + bad.toString().replace('\\', '/') + ", column: image }\n"
                        + "encode: { batch: 4, store: features }\n");
        assertEquals(1, run("encode", "--config", dir.resolve("bad.yaml").toString()), lastErr);
        assertTrue(
                lastErr.contains("internal error")
                        && lastErr.contains("encoder mnist-cnn failed on instance s0")
                        && lastErr.contains("--verbose"),
                lastErr);
    }

    @Test
    void helpWorksAndAMissingConfigIsBadUsage() {
        assertEquals(0, run("encode", "--help"));
        assertTrue(lastOut.contains("--config"), lastOut);
        assertEquals(2, run("encode"));
        assertTrue(lastErr.contains("missing --config"), lastErr);
    }

    @Test
    void fetchVerifiesLocalModelFiles() {
        assertEquals(0, run("fetch", "--models", models.toString(), "mnist-cnn"), lastErr);
        assertTrue(lastOut.contains("mnist-cnn/model"), lastOut);
        assertEquals(2, run("fetch", "--models", models.toString(), "no-such-encoder"));
        assertTrue(lastErr.contains("unknown encoder 'no-such-encoder'"), lastErr);
    }
}

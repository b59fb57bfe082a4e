package dev.btw.djl.encoder.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.asset.Origin;
import dev.btw.djl.encoder.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecReaderTest {

    @TempDir
    Path dir;

    private static final String SHA = "a".repeat(64);

    private Path write(String name, String yaml) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("spec.yaml"), yaml);
        return folder;
    }

    @Test
    void everyShippedSpecParses() {
        List<String> names = TestSpecs.locator().names();
        assertTrue(
                names.containsAll(
                        List.of("minilm-l6-v2", "bge-small-en-v15", "speech-embedding", "ppocr-rec", "mnist-cnn")),
                names.toString());
        for (String n : names) {
            EncoderSpec s = TestSpecs.spec(n);
            assertEquals(n, s.name());
            assertTrue(s.dimension() > 0);
            assertTrue(s.files().containsKey("model"));
        }
        EncoderSpec minilm = TestSpecs.spec("minilm-l6-v2");
        assertEquals(Engine.ONNX, minilm.engine());
        assertEquals(Origin.MAVEN, minilm.file("model").origin());
        assertEquals(new TextPreprocess("tokenizer", 256), minilm.preprocess());
        assertEquals("cls", TestSpecs.spec("bge-small-en-v15").pooling().type());
        assertEquals(Engine.TORCHSCRIPT, TestSpecs.spec("mnist-cnn").engine());
        assertEquals(Origin.NPM, TestSpecs.spec("ppocr-rec").file("model").origin());
        assertEquals(10, TestSpecs.spec("ppocr-rec").pooling().classes().length);
    }

    @Test
    void minimalOnnxImageSpec() throws IOException {
        Path f = write(
                "tiny",
                "engine: onnx\nfiles: { model: { local: m.onnx, sha256: " + SHA + " } }\n"
                        + "preprocess: { type: image, channels: 1, height: 8, width: 8 }\ndimension: 4\n");
        EncoderSpec s = SpecReader.read(f);
        assertEquals("tiny", s.name());
        assertEquals(Origin.LOCAL, s.file("model").origin());
        assertEquals(
                f.resolve("m.onnx").toAbsolutePath().normalize().toString(),
                s.file("model").coordinate());
        assertEquals("none", s.pooling().type());
    }

    @Test
    void fingerprintFollowsPreprocessingAndFiles() throws IOException {
        String base = "engine: onnx\nfiles: { model: { local: m.onnx, sha256: " + SHA + " } }\n"
                + "preprocess: { type: image, channels: 1, height: 8, width: 8 }\ndimension: 4\n";
        String fp = SpecReader.read(write("a", base)).fingerprint();
        assertEquals(fp, SpecReader.read(write("b", base)).fingerprint(), "the name is not part of it");
        assertNotEquals(
                fp,
                SpecReader.read(write("c", base.replace("width: 8", "width: 9")))
                        .fingerprint());
        assertNotEquals(
                fp,
                SpecReader.read(write("d", base.replace(SHA, "b".repeat(64)))).fingerprint());
    }

    @Test
    void errorsNameTheFileAndTheKey() throws IOException {
        Path unknown = write(
                "u",
                "engine: onnx\ncolour: red\nfiles: { model: { local: m, sha256: " + SHA + " } }\n" + "dimension: 4\n");
        BtwException e = assertThrows(BtwException.class, () -> SpecReader.read(unknown));
        assertTrue(e.getMessage().contains("spec.yaml") && e.getMessage().contains("'colour'"), e.getMessage());

        Path badSha = write("s", "engine: onnx\nfiles: { model: { local: m, sha256: abc } }\ndimension: 4\n");
        e = assertThrows(BtwException.class, () -> SpecReader.read(badSha));
        assertTrue(e.getMessage().contains("files.model.sha256"), e.getMessage());

        Path badEngine = write(
                "e", "engine: tensorflow\nfiles: { model: { local: m, sha256: " + SHA + " } }\n" + "dimension: 4\n");
        e = assertThrows(BtwException.class, () -> SpecReader.read(badEngine));
        assertTrue(e.getMessage().contains("'engine'") && e.getMessage().contains("tensorflow"), e.getMessage());

        Path noTokenizer = write(
                "t",
                "engine: onnx\nfiles: { model: { local: m, sha256: " + SHA + " } }\n"
                        + "preprocess: { type: text }\ndimension: 4\n");
        e = assertThrows(BtwException.class, () -> SpecReader.read(noTokenizer));
        assertTrue(e.getMessage().contains("preprocess.tokenizer"), e.getMessage());

        Path wrongName = write(
                "w",
                "name: other\nengine: onnx\nfiles: { model: { local: m, sha256: " + SHA + " } }\n" + "dimension: 4\n");
        e = assertThrows(BtwException.class, () -> SpecReader.read(wrongName));
        assertTrue(e.getMessage().contains("folder name"), e.getMessage());

        e = assertThrows(BtwException.class, () -> TestSpecs.locator().find("no-such-encoder", dir));
        assertTrue(
                e.getMessage().contains("no-such-encoder") && e.getMessage().contains("minilm-l6-v2"), e.getMessage());
    }
}

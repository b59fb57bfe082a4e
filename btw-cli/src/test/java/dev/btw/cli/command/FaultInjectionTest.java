package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.btw.app.experiment.Checkpoint;
import dev.btw.app.run.RunDirectory;
import dev.btw.cli.Btw;
import dev.btw.core.io.FolderLock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected against the command line (issue 23): two real concurrent {@code btw train} processes on one run
 * directory and a {@code kill -9} of the writer mid-training, a full disk, a read-only file system and a folder in the
 * way of {@code btw export}, damaged checkpoints under {@code --resume}, outputs that would overwrite a user's files,
 * a killed export's temporary file, a deleted store segment. Every fault ends in exit status 2 with one line naming
 * the file and the cause, never in a silent success or an internal error.
 *
 * <p>The full-disk and read-only cases mount small tmpfs file systems and so need root (CI runs as root); run as
 * another user they fail rather than skip.
 */
class FaultInjectionTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new Btw()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** {@code btw train} of the {@code uniform} method into {@code out}, quietly, with any further arguments. */
    private int trainUniform(Path config, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train", "--config", config.toString(), "--out", out.toString(), "--methods", "uniform", "--quiet"));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A tabular classification data set and its config in {@code folder}; returns the config file. */
    private static Path project(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random r = new Random(7);
        List<String> rows = new ArrayList<>(List.of("id,split,label,a1,a2,b1"));
        for (int i = 0; i < 60; i++) {
            double a1 = r.nextGaussian();
            double b1 = r.nextGaussian();
            String split = i % 5 < 3 ? "train" : i % 5 == 3 ? "val" : "test";
            rows.add("i" + i + "," + split + "," + (a1 + 0.5 * b1 > 0 ? "up" : "down") + "," + a1 + ","
                    + r.nextGaussian() + "," + b1);
        }
        Files.write(folder.resolve("m.csv"), rows);
        Path config = folder.resolve("c.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "task: classification",
                        "data: { manifest: m.csv }",
                        "encode: { store: features }",
                        "modalities:",
                        "  a: { encoder: columns, columns: [a1, a2] }",
                        "  b: { encoder: columns, columns: [b1] }",
                        "model: { hidden: 8, layers: 1, experts: 2, top_k: 1, expert_hidden: 8, ff_hidden: 8, "
                                + "head_hidden: 8 }",
                        "train: { epochs: 2, batch: 16, threads: 1 }",
                        ""));
        return config;
    }

    /** {@code btw ARGS} in a child JVM of the test class path; its standard error goes to {@code log}. */
    private static Process btw(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true",
                "-Xss4m",
                "-cp",
                System.getProperty("java.class.path"),
                Btw.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
    }

    private static void await(String what, long seconds, BooleanSupplier condition, Supplier<String> detail)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what + "; " + detail.get());
            }
            Thread.sleep(100);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void twoConcurrentWritersAndAKillMidWrite() throws Exception {
        Path config = project(tmp.resolve("p"));
        Path runDir = tmp.resolve("runs/x");
        // the unimodal references train first: the first writer is killed while training the first of them
        Path lastCkpt = RunDirectory.of(runDir).checkpoint("unimodal:a", 1111).resolve(RunDirectory.LAST_CHECKPOINT);
        Process first = btw(
                tmp.resolve("first.log"),
                "train",
                "--config",
                config.toString(),
                "--out",
                runDir.toString(),
                "--methods",
                "uniform",
                "--seeds",
                "1",
                "--quiet",
                "--set",
                "train.epochs=1000000",
                "--set",
                "train.patience=1000000");
        try {
            // the first writer holds the lock and is writing checkpoints, epoch after epoch
            await(
                    "the first writer's checkpoints",
                    180,
                    () -> !first.isAlive() || Files.exists(lastCkpt),
                    () -> read(tmp.resolve("first.log")));
            assertTrue(first.isAlive(), "first writer still training: " + read(tmp.resolve("first.log")));
            Thread.sleep(500); // a few more epochs: the kill below lands amid checkpoint writes
            String holder = read(runDir.resolve(FolderLock.FILE));
            assertTrue(holder.startsWith("pid " + first.pid() + " started "), holder);

            Process second = btw(
                    tmp.resolve("second.log"),
                    "train",
                    "--config",
                    config.toString(),
                    "--out",
                    runDir.toString(),
                    "--methods",
                    "late-average",
                    "--seeds",
                    "2",
                    "--quiet");
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), "second writer ended");
            String secondErr = read(tmp.resolve("second.log"));
            assertEquals(2, second.exitValue(), secondErr);
            assertTrue(secondErr.contains("in use by another btw process: " + holder.strip()), secondErr);
            assertFalse(secondErr.contains("internal error"), secondErr);
        } finally {
            first.destroyForcibly(); // kill -9, in the middle of its epochs (and their checkpoint writes)
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        }
        RunDirectory dir = RunDirectory.of(runDir);
        assertFalse(dir.isFinished(), "the killed run did not finish");
        assertTrue(read(runDir.resolve(FolderLock.FILE)).startsWith("pid " + first.pid()), "its lock is left stale");
        Checkpoint.verify(lastCkpt); // atomic writes: the kill left a whole checkpoint, never a torn one

        // the stale lock is taken over by the next writer, which resumes from the whole checkpoint
        assertEquals(0, trainUniform(config, runDir, "--seeds", "1", "--resume"), err());
        assertTrue(dir.isFinished());
        assertEquals("", read(runDir.resolve(FolderLock.FILE)), "released");
    }

    /** Mounts a tmpfs at {@code at}: the test fails (not skips) when it cannot, e.g. when not run as root. */
    private static void mount(Path at, String options) throws Exception {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(
                0,
                p.exitValue(),
                "cannot mount a tmpfs (this test needs root, as CI runs; user " + System.getProperty("user.name")
                        + "): " + text);
    }

    private static void unmount(Path at) throws Exception {
        new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }

    /** Fills a file system: writes until no space is left. */
    private static void fill(Path folder) throws IOException {
        try (OutputStream o = Files.newOutputStream(folder.resolve("filler"))) {
            byte[] block = new byte[512];
            while (true) {
                o.write(block);
                o.flush();
            }
        } catch (IOException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("No space left"), String.valueOf(e.getMessage()));
        }
    }

    @Test
    void exportOntoAFolderAFullDiskOrAReadOnlyFileSystemExitsTwoNamingPathAndCause() throws Exception {
        Path config = project(tmp.resolve("p"));
        Path runDir = tmp.resolve("run");
        assertEquals(0, trainUniform(config, runDir), err());

        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        assertEquals(2, run("export", "--run", runDir.toString(), "--out", folder.toString()), err());
        assertTrue(err().contains("--out " + folder + " is a folder"), err());

        Path full = tmp.resolve("full");
        Path readOnly = tmp.resolve("ro");
        mount(full, "size=64k");
        try {
            fill(full);
            Path target = full.resolve("model.onnx");
            assertEquals(2, run("export", "--run", runDir.toString(), "--out", target.toString()), err());
            assertTrue(err().contains("no space left on device"), err());
            assertTrue(err().contains(full.toString()), err());
            assertFalse(err().contains("internal error"), err());
            assertFalse(Files.exists(target));
            try (Stream<Path> s = Files.list(full)) {
                assertEquals(
                        List.of("filler"),
                        s.map(p -> p.getFileName().toString()).toList(),
                        "no leftovers");
            }

            mount(readOnly, "ro,size=64k");
            Path roTarget = readOnly.resolve("model.onnx");
            assertEquals(2, run("export", "--run", runDir.toString(), "--out", roTarget.toString()), err());
            assertTrue(err().contains("read-only file system"), err());
            assertTrue(err().contains(readOnly.toString()), err());
            assertFalse(err().contains("internal error"), err());
        } finally {
            unmount(full);
            if (Files.exists(readOnly)) {
                unmount(readOnly);
            }
        }
    }

    @Test
    void damagedCheckpointsAreRefusedOnResumeAndExportNamingTheFile() throws Exception {
        Path config = project(tmp.resolve("p"));
        Path runDir = tmp.resolve("run");
        assertEquals(0, trainUniform(config, runDir), err());
        RunDirectory dir = RunDirectory.of(runDir);
        Path best = dir.bestCheckpoint("uniform", 1111);
        Checkpoint.verify(best);
        try (FileChannel ch = FileChannel.open(best, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertEquals(2, trainUniform(config, runDir, "--resume"), err());
        assertTrue(err().contains("checkpoint " + best + " is damaged"), err());
        assertTrue(err().contains("is damaged") && err().contains("--resume"), err());

        assertEquals(
                2,
                run(
                        "export",
                        "--run",
                        runDir.toString(),
                        "--out",
                        tmp.resolve("m.onnx").toString()));
        assertTrue(err().contains(best.toString()) && err().contains("is damaged"), err());
        assertFalse(err().contains("null"), err());

        // a truncated last.ckpt of an unfinished seed: resume refuses it, naming it
        Path run2 = tmp.resolve("run2");
        assertEquals(0, trainUniform(config, run2), err());
        RunDirectory dir2 = RunDirectory.of(run2);
        Files.delete(dir2.done("uniform", 1111));
        Files.delete(dir2.metrics());
        Path last = dir2.checkpoint("uniform", 1111).resolve(RunDirectory.LAST_CHECKPOINT);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7);
        }
        assertEquals(2, trainUniform(config, run2, "--resume"), err());
        assertTrue(err().contains(last.toString()) && err().contains("is damaged"), err());
        assertFalse(err().contains("null"), err());
    }

    @Test
    void outputsThatWouldOverwriteAUsersFilesAreRefused() throws Exception {
        Path project = tmp.resolve("p");
        Path config = project(project);
        // a folder holding the user's own config.yaml
        Path users = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(users.resolve("config.yaml"), "my own notes\n");
        assertEquals(2, trainUniform(config, users), err());
        assertTrue(err().contains("not a btw run directory") && err().contains("--force"), err());
        assertEquals("my own notes\n", Files.readString(users.resolve("config.yaml")));
        assertEquals(0, trainUniform(config, users, "--force"), err());
        // a btw run directory is written again without --force
        assertEquals(0, trainUniform(config, users), err());

        Path model = tmp.resolve("model.onnx");
        assertEquals(0, run("export", "--run", users.toString(), "--out", model.toString()), err());
        Path manifest = project.resolve("m.csv");
        byte[] before = Files.readAllBytes(manifest);
        assertEquals(
                2,
                run(
                        "predict",
                        "--model",
                        model.toString(),
                        "--config",
                        config.toString(),
                        "--manifest",
                        manifest.toString(),
                        "--out",
                        manifest.toString(),
                        "--quiet"),
                err());
        assertTrue(err().contains("is the --manifest input"), err());
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(manifest));

        // a row with no modality present is predicted (the model's bias) but flagged
        Path newData = project.resolve("new.csv");
        Files.writeString(newData, "id,a1,a2,b1\nn1,0.1,0.2,0.3\nn2,,,\nn3,,,0.5\n");
        Path predictions = tmp.resolve("pred.csv");
        assertEquals(
                0,
                run(
                        "predict",
                        "--model",
                        model.toString(),
                        "--config",
                        config.toString(),
                        "--manifest",
                        newData.toString(),
                        "--out",
                        predictions.toString(),
                        "--quiet"),
                err());
        List<String> lines = Files.readAllLines(predictions);
        assertTrue(lines.get(0).endsWith(",no_modality"), lines.get(0));
        assertTrue(lines.get(1).startsWith("n1,") && lines.get(1).endsWith(",0"), lines.get(1));
        assertTrue(lines.get(2).startsWith("n2,") && lines.get(2).endsWith(",1"), lines.get(2));
        assertTrue(lines.get(3).startsWith("n3,") && lines.get(3).endsWith(",0"), lines.get(3));
    }

    @Test
    void aKilledExportsTemporaryIsRemovedByTheNextExport() throws Exception {
        Path config = project(tmp.resolve("p"));
        Path runDir = tmp.resolve("run");
        assertEquals(0, trainUniform(config, runDir), err());
        Path target = tmp.resolve("out/model.onnx");
        Files.createDirectories(target.getParent());
        // what an export killed with -9 leaves: its temporary, named after its (now ended) process
        Process killed = new ProcessBuilder("sleep", "60").start();
        long pid = killed.pid();
        killed.destroyForcibly();
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        Path leftover = target.resolveSibling(".model.onnx." + pid + "-4711.tmp");
        Files.write(leftover, new byte[4096]);
        assertEquals(0, run("export", "--run", runDir.toString(), "--out", target.toString()), err());
        assertTrue(Files.size(target) > 0);
        assertFalse(Files.exists(leftover), "the killed export's temporary is removed");
    }

    @Test
    void encodeRefusesAFeatureStoreAnotherWriterHolds() throws Exception {
        Path config = project(tmp.resolve("p"));
        Path store = tmp.resolve("p/features");
        try (FolderLock held = FolderLock.acquire(store, "feature store")) {
            assertEquals(2, run("encode", "--config", config.toString(), "--quiet"), err());
            assertTrue(err().contains("the feature store " + store), err());
            assertTrue(err().contains("pid " + ProcessHandle.current().pid() + " started "), err());
        }
        assertEquals(0, run("encode", "--config", config.toString(), "--quiet"), err());
    }

    @Test
    void aDeletedStoreSegmentIsEncodedAgain() throws Exception {
        Path config = project(tmp.resolve("p"));
        assertEquals(0, run("encode", "--config", config.toString(), "--quiet"), err());
        Path store = tmp.resolve("p/features");
        List<Path> segments;
        try (Stream<Path> s = Files.walk(store)) {
            segments =
                    s.filter(p -> p.getFileName().toString().endsWith(".f32")).toList();
        }
        assertFalse(segments.isEmpty());
        Files.delete(segments.get(0));
        assertEquals(0, run("encode", "--config", config.toString(), "--quiet"), err());
        try (Stream<Path> s = Files.walk(segments.get(0).getParent())) {
            List<Path> again =
                    s.filter(p -> p.getFileName().toString().endsWith(".f32")).toList();
            assertEquals(1, again.size(), "re-encoded: " + again);
        }
        assertEquals(0, trainUniform(config, tmp.resolve("run")), err());
    }
}

package dev.btw.djl.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading WAV files, offline: a good file round-trips, corrupt ones are bad input naming the file. */
class WavReaderTest {

    @TempDir
    Path dir;

    private Path good() {
        float[] s = new float[800];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * Math.sin(i * 0.1));
        }
        Path p = dir.resolve("good.wav");
        TestWav.write(p, s, 8000);
        return p;
    }

    @Test
    void readsWhatWasWritten() {
        WavReader.Audio a = WavReader.read(good());
        assertEquals(8000, a.sampleRate());
        assertEquals(800, a.samples().length);
        assertEquals(0.5 * Math.sin(100 * 0.1), a.samples()[100], 1e-4);
    }

    @Test
    void corruptFilesAreBadInputNamingTheFile() throws IOException {
        byte[] ok = Files.readAllBytes(good());
        Path garbage = dir.resolve("garbage.wav");
        Files.writeString(garbage, "RIFF? no, just text that is not audio");
        Path header = dir.resolve("header.wav");
        Files.write(header, Arrays.copyOf(ok, 20)); // cut inside the fmt chunk
        Path empty = dir.resolve("empty.wav");
        Files.write(empty, new byte[0]);
        Path noSamples = dir.resolve("nosamples.wav");
        Files.write(noSamples, Arrays.copyOf(ok, 44)); // a full header, its data cut off
        for (Path p : new Path[] {garbage, header, empty, noSamples}) {
            BtwException e = assertThrows(
                    BtwException.class, () -> WavReader.read(p), p.getFileName().toString());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
            assertTrue(!e.isInternal(), e.getMessage());
        }
    }
}

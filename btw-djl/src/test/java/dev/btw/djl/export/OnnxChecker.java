package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.btw.djl.encoder.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ONNX checker ({@code onnx.checker.check_model(full_check=True)}) from Debian's {@code python3-onnx}
 * on a file. Where that package is not installed the calling test is skipped explicitly, or fails where
 * {@code -Dbtw.test.require} lists {@code onnx-checker} (CI). Call it last, after the test's other checks.
 */
public final class OnnxChecker {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private OnnxChecker() {}

    public static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void assertValid(Path model) throws IOException, InterruptedException {
        if (!available()) {
            TestSpecs.skip(
                    TestSpecs.ONNX_CHECKER,
                    "the ONNX checker needs Debian's python3-onnx (/usr/bin/python3 -c " + "'import onnx')");
        }
        Process p = new ProcessBuilder(
                        PYTHON.toString(),
                        "-c",
                        "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
                        model.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "ONNX checker rejected " + model + ": " + output);
    }
}

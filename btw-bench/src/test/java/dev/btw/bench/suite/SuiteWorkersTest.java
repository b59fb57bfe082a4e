package dev.btw.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteWorkersTest {

    @Test
    void workersGetTheLoggerSettingsAndTrainOnly() {
        String key = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        String before = System.getProperty(key);
        System.setProperty(key, "error");
        try {
            List<String> command = SuiteWorkers.command(List.of("--work", "w"));
            assertTrue(command.contains("-D" + key + "=error"), command.toString());
            assertEquals(
                    List.of("bench", "suite", "--work", "w", "--train-only"),
                    command.subList(command.size() - 5, command.size()));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}

package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which modalities an end-to-end export can merge, and the reasons given for the others. */
class EndToEndPlanTest {

    @TempDir Path dir;

    @Test
    void tabularAndVectorsMergeEncodersAreNamedWithReasons() {
        String previous = System.getProperty("btw.home.repo");
        System.setProperty("btw.home.repo", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            BtwConfig tabular = BtwConfig.parse("modalities: { labs: { encoder: columns, columns: [a] }, "
                    + "pre: { encoder: vectors, column: v } }", dir, "t.yaml", List.of());
            assertTrue(EndToEndPlan.of(tabular, List.of("labs", "pre")).possible());

            BtwConfig mixed = BtwConfig.parse("modalities: { labs: { encoder: columns, columns: [a] }, "
                    + "text: { encoder: minilm-l6-v2, column: s }, digits: { encoder: mnist-cnn, column: p } }", dir,
                    "m.yaml", List.of());
            EndToEndPlan plan = EndToEndPlan.of(mixed, List.of("labs", "text", "digits"));
            assertFalse(plan.possible());
            assertEquals(List.of("text (minilm-l6-v2)", "digits (mnist-cnn)"), List.copyOf(plan.blockers().keySet()));
            assertTrue(plan.blockers().get("text (minilm-l6-v2)").contains("tokenizer"));
            assertTrue(plan.blockers().get("digits (mnist-cnn)").contains("TorchScript"));
            BtwException e = assertThrows(BtwException.class, plan::requirePossible);
            assertTrue(e.getMessage().contains("text (minilm-l6-v2)") && e.getMessage().contains("digits"),
                    e.getMessage());
            // a unimodal export of the tabular modality alone merges
            assertTrue(EndToEndPlan.of(mixed, List.of("labs")).possible());
        } finally {
            if (previous == null) {
                System.clearProperty("btw.home.repo");
            } else {
                System.setProperty("btw.home.repo", previous);
            }
        }
    }
}

package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.config.BtwConfig;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.fetch.AssetFetcher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which modalities an end-to-end export can merge, and the reasons given for the others. */
class EndToEndPlanTest {

    @TempDir
    Path dir;

    @Test
    void tabularAndVectorsMergeEncodersAreNamedWithReasons() {
        String previous = System.getProperty("btw.home.repo");
        System.setProperty(
                "btw.home.repo", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            BtwConfig tabular = BtwConfig.parse(
                    "modalities: { labs: { encoder: columns, columns: [a] }, "
                            + "pre: { encoder: vectors, column: v } }",
                    dir,
                    "t.yaml",
                    List.of());
            assertTrue(EndToEndPlan.of(tabular, List.of("labs", "pre")).possible());

            BtwConfig mixed = BtwConfig.parse(
                    "modalities: { labs: { encoder: columns, columns: [a] }, "
                            + "text: { encoder: minilm-l6-v2, column: s }, digits: { encoder: mnist-cnn, column: p }, "
                            + "speech: { encoder: speech-embedding, column: w } }",
                    dir,
                    "m.yaml",
                    List.of());
            TestSpecs.spec("minilm-l6-v2")
                    .files()
                    .values()
                    .forEach(a -> TestSpecs.fetcher().fetch(a));
            EndToEndPlan plan =
                    EndToEndPlan.of(mixed, List.of("labs", "text", "digits", "speech"), TestSpecs.fetcher());
            assertFalse(plan.possible());
            assertEquals(
                    List.of("digits (mnist-cnn)", "speech (speech-embedding)"),
                    List.copyOf(plan.blockers().keySet()));
            assertTrue(plan.blockers().get("digits (mnist-cnn)").contains("TorchScript"));
            assertTrue(plan.blockers().get("speech (speech-embedding)").contains("windowing"));
            assertEquals(
                    List.of("text"),
                    plan.parts().stream().map(EndToEndMerge.Part::modality).toList());
            BtwException e = assertThrows(BtwException.class, plan::requirePossible);
            assertTrue(
                    e.getMessage().contains("speech (speech-embedding)")
                            && e.getMessage().contains("digits"),
                    e.getMessage());
            // the tabular modality with the text encoder merges
            assertTrue(EndToEndPlan.of(mixed, List.of("labs", "text"), TestSpecs.fetcher())
                    .possible());
            // an encoder whose model file is not in the cache is named with what to do
            EndToEndPlan empty = EndToEndPlan.of(mixed, List.of("text"), new AssetFetcher(dir.resolve("empty-home")));
            assertTrue(
                    empty.blockers().get("text (minilm-l6-v2)").contains("btw fetch minilm-l6-v2"),
                    empty.blockers().toString());
        } finally {
            if (previous == null) {
                System.clearProperty("btw.home.repo");
            } else {
                System.setProperty("btw.home.repo", previous);
            }
        }
    }
}

package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModalityWeightsTest {

    @TempDir
    Path dir;

    private static ModalityWeights sample() {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("text", new double[] {0.25, 0.5, 0.0});
        c.put("audio", new double[] {0.75, 0.5, 1.0});
        return new ModalityWeights(List.of("a", "b,c", "d"), c);
    }

    @Test
    void meansSkipMissingAndCsvRoundTrips() throws IOException {
        ModalityWeights w = sample();
        assertEquals(0.375, w.mean("text"), 1e-15);
        assertEquals(0.75, w.mean("audio"), 1e-15);
        Path f = dir.resolve("out/w.csv");
        w.writeCsv(f);
        assertTrue(Files.readString(f).startsWith("id,text,audio\n"));
        ModalityWeights back = ModalityWeights.readCsv(f);
        assertEquals(w.ids(), back.ids());
        assertEquals(w.modalities(), back.modalities());
        assertEquals(0.5, back.weightOf("b,c", "text"), 0.0);
    }

    @Test
    void badTablesAreClearErrors() throws IOException {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("text", new double[] {0.1, 0.2});
        assertThrows(BtwException.class, () -> new ModalityWeights(List.of("a", "a"), c));
        assertThrows(BtwException.class, () -> new ModalityWeights(List.of("a"), c));
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "id,text\na,0.5\nb,x\n");
        BtwException e = assertThrows(BtwException.class, () -> ModalityWeights.readCsv(f));
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("'text'"), e.getMessage());
        assertThrows(BtwException.class, () -> ModalityWeights.readCsv(dir.resolve("none.csv")));
        assertThrows(BtwException.class, () -> sample().weightOf("zz", "text"));
        assertThrows(BtwException.class, () -> sample().column("video"));
    }

    @Test
    void accessorsNameWhatIsWrongAndPrintShort() {
        ModalityWeights w = sample();
        assertEquals(0.75, w.weightOf("a", "audio"), 0.0);
        assertEquals(Map.of("text", 0.5, "audio", 0.5), w.forInstance("b,c"));
        assertEquals(List.of("text", "audio"), List.copyOf(w.forInstance("d").keySet()));
        // the swap the issue met: (modality, instance) instead of (instance, modality)
        BtwException swapped = assertThrows(BtwException.class, () -> w.weightOf("audio", "a"));
        assertTrue(swapped.getMessage().contains("instance id comes first"), swapped.getMessage());
        BtwException unknownId = assertThrows(BtwException.class, () -> w.weightOf("zz", "text"));
        assertTrue(
                unknownId.getMessage().contains("instance id 'zz'")
                        && !unknownId.getMessage().contains("comes first"),
                unknownId.getMessage());
        BtwException unknownModality = assertThrows(BtwException.class, () -> w.weightOf("a", "video"));
        assertTrue(unknownModality.getMessage().contains("modality 'video'"), unknownModality.getMessage());
        BtwException nullModality = assertThrows(BtwException.class, () -> w.weightOf("a", null));
        assertTrue(nullModality.getMessage().contains("modality is null"), nullModality.getMessage());
        BtwException viewOfModality = assertThrows(BtwException.class, () -> w.forInstance("text"));
        assertTrue(viewOfModality.getMessage().contains("is a modality name"), viewOfModality.getMessage());
        assertEquals("ModalityWeights[3 instances, mean weight {text=0.375, audio=0.750}]", w.toString());
    }

    @Test
    void resultTypesPrintShares() {
        WeightsHistory h = new WeightsHistory();
        assertEquals("WeightsHistory[no refresh]", h.toString());
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("text", 0.6);
        shares.put("audio", 0.4);
        RefreshRecord r = h.add(2, 0.5, CombinationRule.KL_MI, shares, sample());
        assertEquals(
                "RefreshRecord[#1 after epoch 2, kl*mi, s=0.500, shares {text=0.600, audio=0.400}, mean weight "
                        + "{text=0.375, audio=0.750}, 3 instances]",
                r.toString());
        assertEquals("WeightsHistory[1 refresh, last " + r + "]", h.toString());
    }

    @Test
    void historyRoundTripsThroughAFolder() {
        WeightsHistory h = new WeightsHistory();
        h.add(1, 0.5, CombinationRule.KL_MI, Map.of("text", 0.6, "audio", 0.4), sample());
        h.add(3, 0.55, CombinationRule.KL_MI, Map.of("text", 0.7, "audio", 0.3), sample());
        Path folder = dir.resolve("weights");
        h.writeTo(folder);
        assertTrue(Files.exists(folder.resolve("refresh-0002.csv")));
        WeightsHistory back = WeightsHistory.readFrom(folder);
        assertEquals(2, back.size());
        assertEquals(3, back.last().epoch());
        assertEquals(0.55, back.last().smoothing(), 0.0);
        assertEquals(0.7, back.last().shares().get("text"), 0.0);
        assertEquals(0.375, back.last().meanWeights().get("text"), 1e-15);
        assertEquals("kl*mi", back.last().rule());
        assertEquals(3, back.last().weights().size());
    }
}

package dev.btw.djl.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabularEncoderTest {

    private static EncoderInput row(String id, String... cells) {
        return new EncoderInput(id, List.of(cells));
    }

    @Test
    void standardisesWithTrainStatisticsOnly() {
        List<String> cols = List.of("age", "bmi");
        TabularEncoder enc = TabularEncoder.fit("labs", cols, List.of(row("1", "20", "1"), row("2", "40", "3")));
        assertArrayEquals(new double[] {30, 2}, enc.means(), 1e-12);
        assertArrayEquals(new double[] {10, 1}, enc.stds(), 1e-12);
        // a test row far away is standardised with the train statistics, not its own
        float[] z = enc.encode(List.of(row("t", "130", "2"))).get(0);
        assertArrayEquals(new float[] {10f, 0f}, z, 1e-6f);
        assertEquals(2, enc.dimension());
    }

    @Test
    void trainStatisticsThatOverflowNameTheColumn() {
        BtwException e = assertThrows(
                BtwException.class,
                () -> TabularEncoder.fit(
                        "labs", List.of("a", "huge"), List.of(row("1", "1", "1e200"), row("2", "2", "-1e200"))));
        assertTrue(e.getMessage().contains("column 'huge'") && e.getMessage().contains("overflow"), e.getMessage());
    }

    @Test
    void emptyCellIsImputedWithTheTrainMean() {
        TabularEncoder enc =
                TabularEncoder.fit("labs", List.of("a", "b"), List.of(row("1", "1", "5"), row("2", "3", "")));
        assertArrayEquals(new double[] {2, 5}, enc.means(), 1e-12);
        assertArrayEquals(
                new float[] {0f, 0f}, enc.encode(List.of(row("x", "", "5"))).get(0), 1e-6f);
    }

    @Test
    void nonNumericCellNamesRowAndColumn() {
        TabularEncoder enc = TabularEncoder.fit("labs", List.of("age"), List.of(row("1", "1"), row("2", "2")));
        BtwException e = assertThrows(BtwException.class, () -> enc.encode(List.of(row("p17", "abc"))));
        assertTrue(e.getMessage().contains("p17") && e.getMessage().contains("age"), e.getMessage());
    }

    @Test
    void columnsByListOrRegex() {
        List<String> header = List.of("id", "split", "label", "s1", "s2", "s10", "bmi");
        assertEquals(
                List.of("s1", "s2", "s10"),
                TabularEncoder.selectColumns(header, List.of(), "s\\d+", List.of("id", "split", "label")));
        assertEquals(List.of("bmi", "s1"), TabularEncoder.selectColumns(header, List.of("bmi", "s1"), null, List.of()));
        BtwException e = assertThrows(
                BtwException.class, () -> TabularEncoder.selectColumns(header, List.of("nope"), null, List.of()));
        assertTrue(e.getMessage().contains("nope"));
        assertThrows(BtwException.class, () -> TabularEncoder.selectColumns(header, List.of(), "zz.*", List.of()));
    }

    @Test
    void fingerprintFollowsTheFittedStatistics() {
        TabularEncoder a = TabularEncoder.fit("t", List.of("x"), List.of(row("1", "1"), row("2", "2")));
        TabularEncoder b = TabularEncoder.fit("t", List.of("x"), List.of(row("1", "1"), row("2", "2")));
        TabularEncoder c = TabularEncoder.fit("t", List.of("x"), List.of(row("1", "1"), row("2", "5")));
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), c.fingerprint());
    }
}

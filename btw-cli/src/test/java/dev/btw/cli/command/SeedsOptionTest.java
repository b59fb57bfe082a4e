package dev.btw.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --seeds} of {@code btw train} (and {@code btw bench suite}, tested in btw-bench): a count, a list or a range. */
class SeedsOptionTest {

    private static final List<Integer> CONFIGURED = List.of(1111, 1112);

    @Test
    void aCountContinuesTheConfiguredSeeds() {
        assertEquals(List.of(1111), TrainCommand.seeds("1", CONFIGURED));
        assertEquals(List.of(1111, 1112, 1113, 1114), TrainCommand.seeds("4", CONFIGURED));
    }

    @Test
    void aListAndARangeNameTheSeeds() {
        assertEquals(List.of(7, 3), TrainCommand.seeds("7, 3", CONFIGURED));
        assertEquals(List.of(1111), TrainCommand.seeds("1111,", CONFIGURED));
        assertEquals(List.of(1111, 1112, 1113), TrainCommand.seeds("1111-1113", CONFIGURED));
        assertEquals(List.of(42), TrainCommand.seeds("42-42", CONFIGURED));
    }

    @Test
    void aSeedTypedAsACountIsRefusedWithTheFix() {
        BtwException e = assertThrows(BtwException.class, () -> TrainCommand.seeds("1111", CONFIGURED));
        assertTrue(
                e.getMessage().contains("asks for 1111 seeds") && e.getMessage().contains("--seeds 1111-1111"),
                e.getMessage());
        assertEquals(100, TrainCommand.seeds("100", CONFIGURED).size());
    }

    @Test
    void malformedValuesAreRefused() {
        for (String bad : List.of("0", "-3", "x", "5-2", "1-500", "1,,x")) {
            assertThrows(BtwException.class, () -> TrainCommand.seeds(bad, CONFIGURED), bad);
        }
    }
}

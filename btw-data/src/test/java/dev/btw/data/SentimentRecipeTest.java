package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentRecipeTest {

    @TempDir
    Path dir;

    @Test
    void readsFixturesAndDropsTheTrailingEmptyEntry() throws IOException {
        Path f = dir.resolve("yelp.json");
        Files.writeString(
                f,
                "[{\"text\":\"Great  food, \\\"really\\\".  \",\"class\":1},"
                        + "{\"text\":\"Cold fries.\",\"class\":0},{\"text\":\"\",\"class\":null}]");
        List<SentimentRecipe.Sentence> s = SentimentRecipe.read(f, "yelp");
        assertEquals(2, s.size());
        assertEquals(new SentimentRecipe.Sentence("yelp", "Great food, \"really\".", true), s.get(0));
        assertEquals(false, s.get(1).positive());
    }

    @Test
    void anEmptyEntryElsewhereIsAnError() throws IOException {
        Path f = dir.resolve("imdb.json");
        Files.writeString(f, "[{\"text\":\"\",\"class\":null},{\"text\":\"Fine.\",\"class\":1}]");
        BtwException e = assertThrows(BtwException.class, () -> SentimentRecipe.read(f, "imdb"));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }
}

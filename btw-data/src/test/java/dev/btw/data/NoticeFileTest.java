package dev.btw.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The repository's NOTICE file names every data set's sources and licences as the recipes declare them. */
class NoticeFileTest {

    @Test
    void noticeListsEveryRecipeLicence() throws Exception {
        Path notice = Path.of("..", "NOTICE");
        String text = Files.readString(notice);
        for (String line : DataRecipes.NOTICE.split("\n")) {
            assertTrue(text.contains(line), "NOTICE lacks: " + line);
        }
    }
}

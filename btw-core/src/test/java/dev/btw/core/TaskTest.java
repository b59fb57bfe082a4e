package dev.btw.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void parsesAndRejects() {
        assertEquals(Task.REGRESSION, Task.parse("regression"));
        assertEquals(Task.CLASSIFICATION, Task.parse("classification"));
        assertEquals("classification", Task.CLASSIFICATION.toString());
        BtwException e = assertThrows(BtwException.class, () -> Task.parse("ranking"));
        assertTrue(e.getMessage().contains("'ranking'"), e.getMessage());
    }
}

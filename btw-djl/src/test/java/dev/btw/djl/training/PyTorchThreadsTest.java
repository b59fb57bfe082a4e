package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The thread defaults fill in what the user left unset and keep what the user set. */
class PyTorchThreadsTest {

    private String intra;
    private String inter;

    @BeforeEach
    void save() {
        intra = System.getProperty(PyTorchThreads.INTRA_OP_PROPERTY);
        inter = System.getProperty(PyTorchThreads.INTER_OP_PROPERTY);
        System.clearProperty(PyTorchThreads.INTRA_OP_PROPERTY);
        System.clearProperty(PyTorchThreads.INTER_OP_PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(PyTorchThreads.INTRA_OP_PROPERTY, intra);
        restore(PyTorchThreads.INTER_OP_PROPERTY, inter);
    }

    @Test
    void unsetPropertiesTakeTheDefaults() {
        PyTorchThreads.Counts counts = PyTorchThreads.applyDefaults();
        assertEquals(new PyTorchThreads.Counts(1, 1), counts);
        assertEquals("1", System.getProperty("ai.djl.pytorch.num_threads"));
        assertEquals("1", System.getProperty("ai.djl.pytorch.num_interop_threads"));
    }

    @Test
    void theUsersSettingIsKept() {
        System.setProperty(PyTorchThreads.INTRA_OP_PROPERTY, "4");
        PyTorchThreads.Counts counts = PyTorchThreads.applyDefaults();
        assertEquals(new PyTorchThreads.Counts(4, 1), counts);
        assertEquals("4", System.getProperty(PyTorchThreads.INTRA_OP_PROPERTY));
        assertEquals("1", System.getProperty(PyTorchThreads.INTER_OP_PROPERTY));
    }

    @Test
    void aBadSettingIsNamed() {
        System.setProperty(PyTorchThreads.INTER_OP_PROPERTY, "two");
        BtwException e = assertThrows(BtwException.class, PyTorchThreads::applyDefaults);
        assertTrue(e.getMessage().contains("ai.djl.pytorch.num_interop_threads is 'two'"), e.getMessage());
        System.setProperty(PyTorchThreads.INTER_OP_PROPERTY, "0");
        assertThrows(BtwException.class, PyTorchThreads::applyDefaults);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}

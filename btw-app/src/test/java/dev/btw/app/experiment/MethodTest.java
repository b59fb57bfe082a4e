package dev.btw.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.weights.CombinationRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The method type's string form round-trips and stays what the CLI, configs and run folders use. */
class MethodTest {

    @Test
    void everyMethodRoundTripsThroughItsStringForm() {
        List<Method> all = new ArrayList<>(List.of(Method.unimodal("text"), Method.LATE_AVERAGE, Method.LINEAR));
        for (CombinationRule rule : CombinationRule.values()) {
            all.add(Method.fusion(rule));
        }
        for (Method m : all) {
            assertEquals(m, Method.parse(m.toString()), m.toString());
            assertEquals(m, Method.parse(" " + m + " "), "trimmed: " + m);
        }
    }

    @Test
    void stringFormsAreTheRunDirectorysNames() {
        assertEquals("unimodal:image", Method.unimodal("image").toString());
        assertEquals("late-average", Method.LATE_AVERAGE.toString());
        assertEquals("linear", Method.LINEAR.toString());
        assertEquals("uniform", Method.fusion(CombinationRule.UNIFORM).toString());
        assertEquals("exp(-kl)*mi", Method.fusion(CombinationRule.EXP_NEG_KL_MI).toString());
        assertEquals("exp-kl_mi", Method.parse("exp(-kl)*mi").slug());
        assertEquals("unimodal-text", Method.parse("unimodal:text").slug());
        assertEquals(MethodName.slug("kl*mi"), Method.parse("kl*mi").slug());
    }

    @Test
    void parseDispatchesToTheKinds() {
        Method.Unimodal u = assertInstanceOf(Method.Unimodal.class, Method.parse("unimodal:audio"));
        assertEquals("audio", u.modality());
        assertInstanceOf(Method.LateAverage.class, Method.parse("late-average"));
        assertInstanceOf(Method.Linear.class, Method.parse("linear"));
        Method.Fusion f = assertInstanceOf(Method.Fusion.class, Method.parse("kl*mi"));
        assertEquals(CombinationRule.KL_MI, f.rule());
        assertTrue(
                assertInstanceOf(Method.Fusion.class, Method.parse("uniform")).uniform());
        assertEquals(CombinationRule.KL, MethodName.rule("kl"));
        assertNull(MethodName.rule("uniform"));
    }

    @Test
    void badMethodsNameWhatIsWrong() {
        BtwException unknown = assertThrows(BtwException.class, () -> Method.parse("kl+mi"));
        assertTrue(unknown.getMessage().contains("unknown method 'kl+mi'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("unimodal:<modality>"), unknown.getMessage());
        BtwException empty = assertThrows(BtwException.class, () -> Method.parse("unimodal:"));
        assertTrue(empty.getMessage().contains("names no modality"), empty.getMessage());
        BtwException other = assertThrows(BtwException.class, () -> Method.parse("unimodal:video", List.of("text")));
        assertTrue(other.getMessage().contains("names no modality of the config (have [text])"), other.getMessage());
        assertEquals("unimodal:text", MethodName.check(" unimodal:text ", List.of("text")));
        assertThrows(BtwException.class, () -> MethodName.rule("late-average"));
        assertThrows(BtwException.class, () -> Method.parse(null));
    }
}

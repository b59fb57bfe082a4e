package dev.btw.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import org.junit.jupiter.api.Test;

class CombinationRuleTest {

    @Test
    void parsesExactNamesAndListsValidOnes() {
        for (String name : new String[] {"kl*mi", "exp(-kl)*mi", "kl", "mi", "cc", "kl*cc", "uniform"}) {
            assertEquals(name, CombinationRule.parse(name).toString());
        }
        BtwException e = assertThrows(BtwException.class, () -> CombinationRule.parse("kl+mi"));
        assertTrue(e.getMessage().contains("'kl+mi'") && e.getMessage().contains("exp(-kl)*mi"), e.getMessage());
        assertEquals(WeightScale.MEAN_ONE, WeightScale.parse("mean-one"));
        assertThrows(BtwException.class, () -> WeightScale.parse("mean"));
        assertEquals(InferencePolicy.MODALITY_PRIOR, InferencePolicy.parse("modality-prior"));
        assertEquals(InferencePolicy.INSTANCE, InferencePolicy.parse("instance"));
        assertEquals(InferencePolicy.UNIFORM, InferencePolicy.parse("uniform"));
        assertThrows(BtwException.class, () -> InferencePolicy.parse("prior"));
    }

    @Test
    void combines() {
        assertEquals(0.06, CombinationRule.KL_MI.combine(0.2, 0.3), 1e-15);
        assertEquals(Math.exp(-0.2) * 0.3, CombinationRule.EXP_NEG_KL_MI.combine(0.2, 0.3), 1e-15);
        assertEquals(0.2, CombinationRule.KL.combine(0.2, 0.3), 0.0);
        assertEquals(0.3, CombinationRule.MI.combine(0.2, 0.3), 0.0);
        assertEquals(0.3, CombinationRule.CC.combine(0.2, 0.3), 0.0);
        assertEquals(0.06, CombinationRule.KL_CC.combine(0.2, 0.3), 1e-15);
        assertEquals(1.0, CombinationRule.UNIFORM.combine(0.2, 0.3), 0.0);
    }
}

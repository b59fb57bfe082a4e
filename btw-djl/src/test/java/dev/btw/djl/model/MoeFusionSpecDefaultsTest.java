package dev.btw.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.btw.core.config.BtwConfig;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder's defaults and a default config's {@code model} section are one source and give the same spec. */
class MoeFusionSpecDefaultsTest {

    @Test
    void builderDefaultsEqualTheDefaultConfigsModelSection() {
        Map<String, Integer> dims = new LinkedHashMap<>();
        dims.put("text", 384);
        dims.put("labs", 10);
        MoeFusionSpec coded = MoeFusionSpec.builder()
                .addModality("text", 384)
                .addModality("labs", 10)
                .setOutputs(3)
                .build();
        ModelConfig m = BtwConfig.defaults(List.of()).model();
        assertEquals(ConfigDefaults.MODEL, m);
        MoeFusionSpec configured = MoeFusionSpec.of(m, dims, 3);
        assertEquals(configured.toString(), coded.toString());
        assertEquals(m.hidden(), coded.hidden());
        assertEquals(m.layers(), coded.layers());
        assertEquals(m.experts(), coded.experts());
        assertEquals(m.topK(), coded.topK());
        assertEquals(m.expertHidden(), coded.expertHidden());
        assertEquals(m.ffHidden(), coded.ffHidden());
        assertEquals(m.headHidden(), coded.headHidden());
        assertEquals((float) m.dropout(), coded.dropout());
        assertEquals(m.gating(), coded.gating());
        assertEquals(m.noisyGating(), coded.noisyGating());
        assertEquals((float) m.loadBalance(), coded.loadBalance());
        assertEquals(configured.noiseEpsilon(), coded.noiseEpsilon());
    }
}

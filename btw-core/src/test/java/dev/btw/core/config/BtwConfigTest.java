package dev.btw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.divergence.SigmaPolicy;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.ReferencePolicy;
import dev.btw.core.weights.RefreshTrigger;
import dev.btw.core.weights.WeightScale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BtwConfigTest {

    @TempDir
    Path dir;

    private static final String EXAMPLE = String.join(
            "\n",
            "task: regression",
            "data:",
            "  manifest: data/manifest.csv",
            "  label: progression",
            "modalities:",
            "  text:  { encoder: minilm-l6-v2, column: sentence }",
            "  labs:  { encoder: columns, columns: [age, bmi, bp] }",
            "model:  { hidden: 64, layers: 1, experts: 4, top_k: 2, gating: laplace }",
            "btw:    { rule: \"kl*mi\", sigma: residual, trigger: val-improved, inference: modality-prior,",
            "          smoothing: { initial: 0.5, step: 0.05 }, scale: sum-to-one }",
            "train:  { epochs: 40, batch: 32, lr: 1e-4, weight_decay: 1e-4, clip: 0.8, patience: 10,"
                    + " seeds: [1111], device: auto }",
            "");

    private BtwConfig parse(String yaml, String... overrides) {
        return BtwConfig.parse(yaml, dir, "c.yaml", List.of(overrides));
    }

    @Test
    void readsTheArchitectureExampleWithDefaultsFilledIn() {
        BtwConfig c = parse(EXAMPLE);
        assertEquals(Task.REGRESSION, c.task());
        assertEquals(GatingKind.LAPLACE, c.model().gating());
        assertEquals(dir.resolve("data/manifest.csv"), c.data().manifest());
        assertEquals("progression", c.data().label());
        assertEquals("id", c.data().id());
        assertEquals(List.of("text", "labs"), List.copyOf(c.modalities().keySet()));
        assertEquals(List.of("age", "bmi", "bp"), c.modalities().get("labs").columns());
        assertTrue(c.modalities().get("labs").isTabular());
        assertEquals(64, c.model().hidden());
        assertEquals(768, c.model().expertHidden());
        assertEquals(1e-4, c.train().lr(), 0);
        assertEquals(CombinationRule.KL_MI, c.btw().rule());
        assertEquals(0.05, c.btw().smoothingStep(), 0);
        assertEquals(List.of(1111), c.train().seeds());
    }

    @Test
    void emptyConfigIsAllDefaults() {
        BtwConfig c = parse("");
        assertEquals(40, c.train().epochs());
        assertEquals(16, c.model().experts());
        assertEquals(CombinationRule.CONFIG_DEFAULT, c.btw().rule());
        assertEquals(SigmaPolicy.RESIDUAL, c.btw().sigma());
        assertEquals(RefreshTrigger.VAL_IMPROVED, c.btw().trigger());
        assertEquals(InferencePolicy.MODALITY_PRIOR, c.btw().inference());
        assertEquals(WeightScale.MEAN_ONE, c.btw().scale());
        assertEquals(ReferencePolicy.IN_SAMPLE, c.btw().references());
        assertEquals(ConfigDefaults.MODEL, c.model());
        assertEquals(ConfigDefaults.BTW, c.btw());
        assertEquals(5, c.btw().folds());
        assertEquals(null, c.btw().foldGroup());
        assertTrue(c.modalities().isEmpty());
    }

    @Test
    void deviceKeysTakeAutoCpuGpuAndGpuN() {
        assertEquals("auto", parse("").train().device());
        assertEquals("cpu", parse("").encode().device());
        assertEquals("gpu:1", parse("train: { device: 'gpu:1' }").train().device());
        assertEquals("gpu", parse("encode: { device: gpu }").encode().device());
        for (String bad : new String[] {"cuda", "gpu:x", "GPU", "gpu:"}) {
            BtwException e = assertThrows(BtwException.class, () -> parse("train: { device: '" + bad + "' }"));
            assertTrue(e.getMessage().contains("'train.device' must be auto, cpu, gpu or gpu:N"), e.getMessage());
            e = assertThrows(BtwException.class, () -> parse("encode: { device: '" + bad + "' }"));
            assertTrue(
                    e.getMessage().contains("'encode.device'") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void unknownKeyNamesTheKey() {
        BtwException e = assertThrows(BtwException.class, () -> parse("train: { epoch: 3 }"));
        assertTrue(e.getMessage().contains("'train.epoch'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("modalities: { a: { encoder: x, column: c, colour: 1 } }"));
        assertTrue(e.getMessage().contains("'modalities.a.colour'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("optimizer: adam"));
        assertTrue(e.getMessage().contains("'optimizer'"), e.getMessage());
    }

    @Test
    void wrongTypeAndBadValueNameTheKey() {
        BtwException e = assertThrows(BtwException.class, () -> parse("train: { epochs: many }"));
        assertTrue(e.getMessage().contains("'train.epochs'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("btw: { rule: kl+mi }"));
        assertTrue(e.getMessage().contains("'btw.rule'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("model: { top_k: 20 }"));
        assertTrue(e.getMessage().contains("'model.top_k'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("train: { lr: .nan }"));
        assertTrue(e.getMessage().contains("'train.lr'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("btw: { references: out-of-bag }"));
        assertTrue(
                e.getMessage().contains("'btw.references'") && e.getMessage().contains("out-of-fold"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("btw: { folds: 1 }"));
        assertTrue(e.getMessage().contains("'btw.folds'"), e.getMessage());
        assertEquals(
                "speaker",
                parse("btw: { references: out-of-fold, fold_group: speaker }")
                        .btw()
                        .foldGroup());
        e = assertThrows(BtwException.class, () -> parse("model: 3"));
        assertTrue(e.getMessage().contains("'model'"), e.getMessage());
    }

    @Test
    void modalityNeedsItsInputs() {
        BtwException e = assertThrows(BtwException.class, () -> parse("modalities: { t: { encoder: minilm } }"));
        assertTrue(e.getMessage().contains("'modalities.t.column'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("modalities: { t: { encoder: columns } }"));
        assertTrue(e.getMessage().contains("'modalities.t'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("modalities: { t: { encoder: columns, pattern: '[' } }"));
        assertTrue(e.getMessage().contains("'modalities.t.pattern'"), e.getMessage());
    }

    @Test
    void overridesApplyAndAreValidated() {
        BtwConfig c = parse(
                EXAMPLE,
                "train.epochs=5",
                "btw.rule=exp(-kl)*mi",
                "train.seeds=[1,2,3]",
                "modalities.labs.columns=[age]");
        assertEquals(5, c.train().epochs());
        assertEquals(CombinationRule.EXP_NEG_KL_MI, c.btw().rule());
        assertEquals(List.of(1, 2, 3), c.train().seeds());
        assertEquals(List.of("age"), c.modalities().get("labs").columns());
        BtwException e = assertThrows(BtwException.class, () -> parse(EXAMPLE, "train.epochz=5"));
        assertTrue(e.getMessage().contains("'train.epochz'"), e.getMessage());
        e = assertThrows(BtwException.class, () -> parse(EXAMPLE, "novalue"));
        assertEquals("config override 'novalue': expected key.path=value", e.getMessage());
        e = assertThrows(BtwException.class, () -> BtwConfig.checkOverrides(List.of("a.b=1", "=2")));
        assertEquals("config override '=2': expected key.path=value", e.getMessage());
    }

    @Test
    void withSettersEqualTheConfigOverrides() {
        assertEquals(
                parse("", "btw.scale=sum-to-one", "btw.rule=kl*mi", "btw.trigger=every-epoch")
                        .btw(),
                ConfigDefaults.BTW
                        .withScale(WeightScale.SUM_TO_ONE)
                        .withRule(CombinationRule.KL_MI)
                        .withTrigger(RefreshTrigger.EVERY_EPOCH));
        assertEquals(ConfigDefaults.BTW, ConfigDefaults.BTW.withScale(WeightScale.MEAN_ONE));
    }

    @Test
    void resolvedYamlRoundTrips() {
        BtwConfig c = parse(EXAMPLE, "train.epochs=7");
        BtwConfig again = BtwConfig.parse(c.toYaml(), dir.resolve("elsewhere"), "copy.yaml", List.of());
        assertEquals(c.data().manifest(), again.data().manifest());
        assertEquals(c.encode().store(), again.encode().store());
        assertEquals(c.model(), again.model());
        assertEquals(c.btw(), again.btw());
        assertEquals(c.train(), again.train());
        assertEquals(c.modalities(), again.modalities());
        assertFalse(c.toYaml().isBlank());
    }

    @Test
    void loadNamesAMissingFile() throws Exception {
        BtwException e = assertThrows(BtwException.class, () -> BtwConfig.load(dir.resolve("nope.yaml"), List.of()));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "task: [unclosed");
        e = assertThrows(BtwException.class, () -> BtwConfig.load(bad, List.of()));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
    }

    @Test
    void fineTuneSettingsHaveDefaultsAreValidatedAndNeedAnEncoderWithParameters() {
        ModalityConfig m = parse("modalities: { img: { encoder: mnist-cnn, column: path, fine_tune: true } }")
                .modalities()
                .get("img");
        assertTrue(m.fineTune());
        assertEquals(0.1, m.fineTuneLr(), 0);
        assertEquals(0, m.fineTuneFreezeEpochs());
        m = parse("modalities: { img: { encoder: mnist-cnn, column: path, fine_tune: true, fine_tune_lr: 1, "
                        + "fine_tune_freeze_epochs: 3 } }")
                .modalities()
                .get("img");
        assertEquals(1.0, m.fineTuneLr(), 0);
        assertEquals(3, m.fineTuneFreezeEpochs());
        BtwException e = assertThrows(
                BtwException.class,
                () -> parse("modalities: { img: { encoder: mnist-cnn, column: path, fine_tune_lr: 0 } }"));
        assertTrue(e.getMessage().contains("modalities.img.fine_tune_lr"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> parse("modalities: { img: { encoder: mnist-cnn, column: path, fine_tune_freeze_epochs: -1 } }"));
        assertTrue(e.getMessage().contains("modalities.img.fine_tune_freeze_epochs"), e.getMessage());
        e = assertThrows(
                BtwException.class,
                () -> parse("modalities: { labs: { encoder: columns, columns: [a], fine_tune: true } }"));
        assertTrue(
                e.getMessage().contains("modalities.labs.fine_tune")
                        && e.getMessage().contains("no"),
                e.getMessage());
        e = assertThrows(
                BtwException.class, () -> parse("modalities: { v: { encoder: vectors, column: v, fine_tune: true } }"));
        assertTrue(e.getMessage().contains("modalities.v.fine_tune"), e.getMessage());
    }

    @Test
    void videoSamplingKeysHaveDefaultsAndAreValidated() {
        ModalityConfig m = parse("modalities: { v: { encoder: mnist-cnn, column: clip } }")
                .modalities()
                .get("v");
        assertEquals(8, m.frames());
        assertEquals(0.0, m.fps(), 0);
        assertEquals(64, m.maxFrames());
        assertEquals(600.0, m.maxSeconds(), 0);
        m = parse("modalities: { v: { encoder: mnist-cnn, column: clip, fps: 2, max_frames: 10, max_seconds: 30 } }")
                .modalities()
                .get("v");
        assertEquals(2.0, m.fps(), 0);
        assertEquals(10, m.maxFrames());
        assertEquals(30.0, m.maxSeconds(), 0);
        for (String bad : new String[] {"frames: 0", "fps: -1", "max_frames: 0", "max_seconds: 0"}) {
            BtwException e = assertThrows(
                    BtwException.class,
                    () -> parse("modalities: { v: { encoder: mnist-cnn, column: clip, " + bad + " } }"));
            String key = "modalities.v." + bad.substring(0, bad.indexOf(':'));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theResolvedTreeKeepsTodaysSpellingsSoRunDirectoriesWriteTheSameYaml() {
        Map<String, Object> tree = parse("").asMap();
        assertEquals("regression", tree.get("task"));
        Map<String, Object> model = (Map<String, Object>) tree.get("model");
        assertEquals("laplace", model.get("gating"));
        assertEquals(128, model.get("hidden"));
        assertEquals(0.1, model.get("dropout"));
        assertEquals(0.0, model.get("load_balance"));
        Map<String, Object> btw = (Map<String, Object>) tree.get("btw");
        assertEquals("exp(-kl)*mi", btw.get("rule"));
        assertEquals("residual", btw.get("sigma"));
        assertEquals(1e-3, btw.get("sigma_min"));
        assertEquals("val-improved", btw.get("trigger"));
        assertEquals("modality-prior", btw.get("inference"));
        assertEquals("mean-one", btw.get("scale"));
        assertEquals("in-sample", btw.get("references"));
        String yaml = parse("").toYaml();
        assertTrue(
                yaml.contains("  rule: exp(-kl)*mi\n")
                        && yaml.contains("  gating: laplace\n")
                        && yaml.contains("task: regression\n"),
                yaml);
    }

    @Test
    void everyEnumSpellingIsAcceptedAndParsedAndOthersAreNamedInTheError() {
        for (CombinationRule r : CombinationRule.values()) {
            assertEquals(r, parse("", "btw.rule=" + r).btw().rule());
        }
        for (RefreshTrigger t : RefreshTrigger.values()) {
            assertEquals(t, parse("", "btw.trigger=" + t).btw().trigger());
        }
        for (GatingKind g : GatingKind.values()) {
            assertEquals(g, parse("", "model.gating=" + g.configName()).model().gating());
        }
        assertEquals(Task.CLASSIFICATION, parse("", "task=classification").task());
        BtwException e = assertThrows(BtwException.class, () -> parse("", "btw.rule=kl+mi"));
        assertEquals(
                "c.yaml: config key 'btw.rule' must be one of cc, exp(-kl)*mi, kl, kl*cc, kl*mi, mi, "
                        + "uniform; got 'kl+mi'",
                e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("", "btw.scale=Sum-To-One"));
        assertTrue(
                e.getMessage().contains("'btw.scale' must be one of mean-one, sum-to-one; got 'Sum-To-One'"),
                e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("", "model.gating=LAPLACE"));
        assertTrue(
                e.getMessage().contains("'model.gating' must be one of laplace, softmax; got 'LAPLACE'"),
                e.getMessage());
        e = assertThrows(BtwException.class, () -> parse("", "task=Regression"));
        assertTrue(
                e.getMessage().contains("'task' must be one of classification, regression; got 'Regression'"),
                e.getMessage());
    }
}

package dev.btw.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.translate.TranslateException;
import dev.btw.core.Task;
import dev.btw.core.config.ConfigDefaults;
import dev.btw.core.data.Split;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.EncoderOptions;
import dev.btw.djl.encoder.Encoders;
import dev.btw.djl.encoder.preprocess.TestClips;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.SpecLocator;
import dev.btw.djl.fetch.AssetFetcher;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import dev.btw.djl.model.TrainingNoise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md and docs/*.md cannot rot: each one must be code of an example under
 * {@code examples/} (built and
 * run by {@code examples/run.sh}) or of this test (compiled and run here), whitespace aside: the formatter lays
 * out the code ({@code mvn spotless:apply}), the README may lay it out by hand.
 */
class ReadmeSnippetsTest {

    /** The repository root, seen from the module's folder (Surefire's working directory). */
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path tmp;

    @Test
    void everyJavaSnippetIsExampleOrTestCode() throws IOException {
        List<List<String>> snippets = new ArrayList<>(javaBlocks(Files.readAllLines(ROOT.resolve("README.md"))));
        assertTrue(snippets.size() >= 1, "README.md has its Java start");
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path page :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                snippets.addAll(javaBlocks(Files.readAllLines(page)));
            }
        }
        assertTrue(
                javaBlocks(Files.readAllLines(ROOT.resolve("docs/PLUGIN.md"))).stream()
                        .anyMatch(b -> b.get(0).startsWith("package ")),
                "docs/PLUGIN.md shows a complete program, from its package line");
        assertTrue(snippets.size() >= 4, "Java snippets found in README.md and docs/: " + snippets.size());
        Map<Path, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".java") && !p.toString().contains("target"))
                    .toList()) {
                sources.put(f, withoutWhitespace(Files.readString(f)));
            }
        }
        Path self = Path.of("src/test/java/dev/btw/djl/training/ReadmeSnippetsTest.java");
        sources.put(self, withoutWhitespace(Files.readString(self)));
        // the feature-store snippet of docs/ENCODERS.md runs in btw-app, which holds the store
        Path store = ROOT.resolve("btw-app/src/test/java/dev/btw/app/store/StoreSnippetsTest.java");
        sources.put(store, withoutWhitespace(Files.readString(store)));
        assertTrue(sources.size() >= 3, "example sources: " + sources.keySet());
        for (List<String> snippet : snippets) {
            // A snippet's import lines stand above its code, as in a file: the code must be a contiguous part of
            // one source, and each import must be one of that source's imports.
            // A whole file (from its package line) must be one source as it stands.
            boolean wholeFile = snippet.get(0).startsWith("package ");
            List<String> imports = wholeFile
                    ? List.of()
                    : snippet.stream().filter(l -> l.startsWith("import ")).toList();
            String code = withoutWhitespace(String.join(
                    "\n",
                    snippet.stream()
                            .filter(l -> wholeFile || !l.startsWith("import "))
                            .toList()));
            boolean found = sources.values().stream()
                    .anyMatch(src -> src.contains(code) && imports.stream().allMatch(i -> imported(src, i)));
            assertTrue(
                    found,
                    "a docs snippet (with its imports) is in no example and not in this test:\n"
                            + String.join("\n", snippet));
        }
    }

    /** The clip snippet of docs/ENCODERS.md ("Video files"), run on two clips written here. */
    @Test
    void clipSnippetRuns() throws Exception {
        Path talk = TestClips.video(tmp.resolve("talk.mp4"), 20, 48, 48, true);
        Path walk = TestClips.video(tmp.resolve("walk.webm"), 30, 64, 48, false);
        String before = System.getProperty("btw.home.repo");
        System.setProperty("btw.home.repo", ROOT.toAbsolutePath().normalize().toString());
        try {
            List<float[]> v = encodeClips(talk, walk);
            assertEquals(2, v.size());
            assertEquals(32, v.get(1).length);
        } finally {
            if (before == null) {
                System.clearProperty("btw.home.repo");
            } else {
                System.setProperty("btw.home.repo", before);
            }
        }
    }

    /** The snippet of docs/PLUGIN.md "The path btw train runs", trained twice: the same bytes both times. */
    @Test
    void btwTrainPathSnippetLearnsAndRepeatsItself() throws Exception {
        Random r = new Random(5);
        int n = 160;
        float[][] a = new float[n][3];
        float[][] b = new float[n][3];
        double[] y = new double[n];
        double[][] pa = new double[n][1];
        double[][] pb = new double[n][1];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("i" + i);
            for (int c = 0; c < 3; c++) {
                a[i][c] = (float) r.nextGaussian();
                b[i][c] = (float) r.nextGaussian();
            }
            y[i] = 2 * a[i][0] - a[i][1] + 0.1 * r.nextGaussian();
            pa[i][0] = y[i] + 0.3 * r.nextGaussian();
            pb[i][0] = 2 * r.nextGaussian();
        }
        List<String> trainIds = ids.subList(0, 120);
        List<String> valIds = ids.subList(120, n);
        References refs = new References();
        refs.put("a", Map.of(Split.TRAIN, new Predictions(trainIds, Arrays.copyOfRange(pa, 0, 120))), 0.3);
        refs.put("b", Map.of(Split.TRAIN, new Predictions(trainIds, Arrays.copyOfRange(pb, 0, 120))), 2.0);
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .addModality("a", 3)
                .addModality("b", 3)
                .setOutputs(1)
                .optHidden(8)
                .optLayers(1)
                .optExperts(2)
                .optTopK(1)
                .optExpertHidden(8)
                .optFfHidden(8)
                .optHeadHidden(8)
                .build();
        List<List<Double>> monitors = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            FusionDataset.Builder train = FusionDataset.builder()
                    .setTask(Task.REGRESSION)
                    .optIds(trainIds)
                    .addModality("a", Arrays.copyOfRange(a, 0, 120))
                    .addModality("b", Arrays.copyOfRange(b, 0, 120))
                    .setLabels(Arrays.copyOfRange(y, 0, 120));
            FusionDataset val = FusionDataset.builder()
                    .setTask(Task.REGRESSION)
                    .optIds(valIds)
                    .addModality("a", Arrays.copyOfRange(a, 120, n))
                    .addModality("b", Arrays.copyOfRange(b, 120, n))
                    .setLabels(Arrays.copyOfRange(y, 120, n))
                    .setSampling(64, false)
                    .build();
            try (Model model = Model.newInstance("fusion")) {
                BtwTrainingListener btw = trainLikeBtwTrain(model, spec, train, val, refs);
                monitors.add(btw.validationMonitors());
                assertTrue(btw.history().size() >= 1, "BTW refreshed: " + btw.history());
            }
        }
        assertEquals(monitors.get(0), monitors.get(1), "same seed, same validation monitors to the last bit");
        List<Double> m = monitors.get(0);
        assertTrue(m.get(m.size() - 1) < m.get(0), "validation MAE fell: " + m);
    }

    static BtwTrainingListener trainLikeBtwTrain(
            Model model, MoeFusionSpec spec, FusionDataset.Builder trainData, FusionDataset val, References refs)
            throws IOException, TranslateException {
        long seed = 1111;
        Engine.getInstance().setRandomSeed((int) seed);
        MoeFusionBlock block = new MoeFusionBlock(spec);
        block.initialize(model.getNDManager());
        TrainingNoise noise = new TrainingNoise(); // gating noise and dropout, drawn from (seed, epoch, step)
        block.setTrainingNoise(noise);
        model.setBlock(block);
        EpochShuffleSampler sampler = new EpochShuffleSampler(32, seed); // batch order from (seed, epoch)
        FusionDataset train = trainData.setSampling(sampler).build();
        BtwTrainingListener btw = BtwTrainingListener.builder()
                .setTrainDataset(train)
                .setValidationDataset(val)
                .setReferences(refs)
                .optSettings(ConfigDefaults.BTW)
                .build();
        PlateauLearningRate lr = PlateauLearningRate.builder()
                .setBaseValue(3e-3f)
                .setMonitor(btw::lastValidationMonitor, btw.higherIsBetter())
                .build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(FusionLoss.of(train.task()))
                .optOptimizer(FusedAdam.builder()
                        .setParameters(block.getParameters())
                        .optLearningRateTracker(lr)
                        .optWeightDecays(1e-4f)
                        .optClipGradNorm(0.8f)
                        .build())
                .addTrainingListeners(btw, lr, new StepSeeds(seed, noise, sampler));
        try (Trainer trainer = new FusionTrainer(model, config)) {
            EasyTrain.fit(trainer, 10, train, null);
        }
        return btw;
    }

    static List<float[]> encodeClips(Path talk, Path walk) {
        EncoderSpec spec = SpecLocator.defaults().find("clip-cnn", Path.of("."));
        try (Encoder clips = Encoders.load(spec, new AssetFetcher(), EncoderOptions.DEFAULT)) {
            return clips.encode(
                    List.of(EncoderInput.of("talk", talk.toString()), EncoderInput.of("walk", walk.toString())));
        }
    }

    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            String t = line.trim();
            if (current == null && t.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && t.equals("```")) {
                out.add(current);
                current = null;
            } else if (current != null && !t.isEmpty()) {
                current.add(t);
            }
        }
        return out;
    }

    /** An import of the snippet is in the source, or names a class of the source's own package. */
    private static boolean imported(String source, String importLine) {
        String wanted = withoutWhitespace(importLine);
        if (source.contains(wanted)) {
            return true;
        }
        int end = source.indexOf(';');
        String pkg = source.startsWith("package") && end > 0 ? source.substring("package".length(), end) : "";
        return wanted.startsWith("import" + pkg + ".") && wanted.indexOf('.', ("import" + pkg + ".").length()) < 0;
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }
}

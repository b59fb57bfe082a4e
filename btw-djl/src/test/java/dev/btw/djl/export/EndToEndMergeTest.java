package dev.btw.djl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.btw.core.Task;
import dev.btw.core.config.GatingKind;
import dev.btw.core.data.Standardisation;
import dev.btw.djl.encoder.Encoder;
import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.TestSpecs;
import dev.btw.djl.encoder.preprocess.ImageLoader;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.ImagePreprocess;
import dev.btw.djl.encoder.spec.TextPreprocess;
import dev.btw.djl.model.MoeFusionBlock;
import dev.btw.djl.model.MoeFusionSpec;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An end-to-end model (MiniLM and the OCR recogniser merged in front of a fusion graph) gives what the Java
 * encoders followed by the fusion graph give, on real texts and rendered digit images; and the opset upgrade leaves
 * each encoder's own outputs unchanged.
 */
@Tag("network") // the OCR recogniser comes from an npm package
class EndToEndMergeTest {

    private static final List<String> TEXTS = List.of(
            "a gripping, beautifully shot film",
            "the plot collapses in the second hour and never recovers",
            "fine.",
            "I wanted to love it, and could not",
            "an absolute triumph of acting, writing and sound",
            "dull",
            "neither good nor bad, just long",
            "the best thing I have seen all year, without a doubt",
            "clumsy dialogue",
            "charming and warm");

    @TempDir
    Path dir;

    /** DJL's engine must create ONNX Runtime's environment (with its thread settings) before this test's calls. */
    @BeforeAll
    static void startDjlOnnxRuntimeFirst() {
        Engine.getEngine("OnnxRuntime");
    }

    @Test
    void upgradedMiniLmGivesTheSameHiddenStates() throws Exception {
        EncoderSpec spec = fetched("minilm-l6-v2");
        OnnxMl.ModelProto original = model(spec);
        assertEquals(11, OnnxOpsetUpgrade.defaultOpset(original));
        Map<String, long[][]> tokens = tokens(spec, TEXTS);
        float[] before = runSingle(original.toByteArray(), longFeed(tokens), "last_hidden_state");
        float[] after = runSingle(upgraded(original).toByteArray(), longFeed(tokens), "last_hidden_state");
        assertEquals(before.length, after.length);
        assertTrue(maxDifference(before, after) <= 1e-6, "largest difference " + maxDifference(before, after));
    }

    @Test
    void upgradedOcrRecogniserGivesTheSameScores() throws Exception {
        EncoderSpec spec = fetched("ppocr-rec");
        OnnxMl.ModelProto original = model(spec);
        assertEquals(9, OnnxOpsetUpgrade.defaultOpset(original));
        float[][] images = digitImages((ImagePreprocess) spec.preprocess(), 6);
        ImagePreprocess p = (ImagePreprocess) spec.preprocess();
        String input = original.getGraph().getInput(0).getName();
        String output = original.getGraph().getOutput(0).getName();
        float[] before = runSingle(original.toByteArray(), Map.of(input, imageTensor(images, p)), output);
        float[] after = runSingle(upgraded(original).toByteArray(), Map.of(input, imageTensor(images, p)), output);
        assertTrue(maxDifference(before, after) <= 1e-6, "largest difference " + maxDifference(before, after));
        Path file = dir.resolve("ocr17.onnx");
        Files.write(file, upgraded(original).toByteArray());
        OnnxChecker.assertValid(file);
    }

    @Test
    void endToEndEqualsEncodersThenFusion() throws Exception {
        EncoderSpec text = fetched("minilm-l6-v2");
        EncoderSpec ocr = fetched("ppocr-rec");
        int n = TEXTS.size();
        MoeFusionSpec spec = MoeFusionSpec.builder()
                .setOutputs(3)
                .addModality("review", text.dimension())
                .addModality("digits", ocr.dimension())
                .addModality("labs", 4)
                .optHidden(16)
                .optLayers(2)
                .optExperts(4)
                .optTopK(2)
                .optExpertHidden(24)
                .optFfHidden(20)
                .optHeadHidden(12)
                .optGating(GatingKind.LAPLACE)
                .build();
        Random random = new Random(7);
        float[][] labs = new float[n][4];
        for (float[] row : labs) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        float[][] images = digitImages((ImagePreprocess) ocr.preprocess(), n);
        float[][] reviewVectors;
        float[] reviewAlone;
        float[][] digitVectors;
        try (Encoder te = TestSpecs.encoderOrSkip("minilm-l6-v2");
                Encoder ie = TestSpecs.encoderOrSkip("ppocr-rec")) {
            // the whole list is one batch, as in the end-to-end call: the int8 model quantises per batch
            reviewVectors = te.encode(inputs(TEXTS)).toArray(new float[0][]);
            reviewAlone = te.encode(inputs(List.of(TEXTS.get(1)))).get(0);
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                paths.add(dir.resolve("digit" + i + ".png").toString());
            }
            digitVectors = ie.encode(inputs(paths)).toArray(new float[0][]);
        }

        Path fusionFile = dir.resolve("fusion.onnx");
        Path endToEndFile = dir.resolve("e2e.onnx");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(11);
            MoeFusionBlock block = new MoeFusionBlock(spec);
            block.initialize(manager);
            block.getParameters().forEach(p -> {
                NDArray a = p.getValue().getArray();
                a.addi(manager.randomNormal(0f, 0.05f, a.getShape(), a.getDataType()));
            });
            Map<String, Standardisation> st = Map.of(
                    "review",
                    Standardisation.fit(flatten(reviewVectors), all(n), text.dimension()),
                    "digits",
                    Standardisation.fit(flatten(digitVectors), all(n), ocr.dimension()));
            OnnxMl.ModelProto fusion = new FusionOnnxExporter(block)
                    .export(Task.CLASSIFICATION, Map.of("review", 0.5, "digits", 0.3, "labs", 0.2), st, null)
                    .build();
            Files.write(fusionFile, fusion.toByteArray());
            OnnxMl.ModelProto merged = EndToEndMerge.merge(
                    fusion,
                    List.of(
                            new EndToEndMerge.Part("review", text, model(text)),
                            new EndToEndMerge.Part("digits", ocr, model(ocr))));
            Files.write(endToEndFile, merged.toByteArray());
        }

        Map<String, OnnxTensor> fused = new HashMap<>();
        fused.put("review", floatTensor(reviewVectors));
        fused.put("digits", floatTensor(digitVectors));
        fused.put("labs", floatTensor(labs));
        float[] expected = runSingle(Files.readAllBytes(fusionFile), fused, "probabilities");

        Map<String, OnnxTensor> raw = new HashMap<>();
        tokens(text, TEXTS).forEach((k, v) -> raw.put("review/" + k, longTensor(v)));
        raw.put("digits/x", imageTensor(images, (ImagePreprocess) ocr.preprocess()));
        raw.put("labs", floatTensor(labs));
        float[] actual = runSingle(Files.readAllBytes(endToEndFile), raw, "probabilities");
        assertEquals(expected.length, actual.length);
        System.out.printf(
                "end to end vs encoders then fusion, %d instances: largest difference %.3g%n",
                n, maxDifference(expected, actual));
        assertTrue(maxDifference(expected, actual) <= 1e-5, "largest difference " + maxDifference(expected, actual));

        // An all-zero attention mask marks the text missing: the same as a NaN review vector in the fusion graph.
        long[][] none = new long[1][3];
        float[][] nanRow = new float[1][text.dimension()];
        Arrays.fill(nanRow[0], Float.NaN);
        float[] missing = runSingle(
                Files.readAllBytes(fusionFile),
                Map.of(
                        "review",
                        floatTensor(nanRow),
                        "digits",
                        floatTensor(new float[][] {digitVectors[0]}),
                        "labs",
                        floatTensor(new float[][] {labs[0]})),
                "probabilities");
        float[] missingEndToEnd = runSingle(
                Files.readAllBytes(endToEndFile),
                Map.of(
                        "review/input_ids",
                        longTensor(none),
                        "review/attention_mask",
                        longTensor(none),
                        "review/token_type_ids",
                        longTensor(none),
                        "digits/x",
                        imageTensor(new float[][] {images[0]}, (ImagePreprocess) ocr.preprocess()),
                        "labs",
                        floatTensor(new float[][] {labs[0]})),
                "probabilities");
        // the digits vector comes from the Java encoder on one side and from the graph on the other (float noise)
        assertTrue(
                maxDifference(missing, missingEndToEnd) <= 1e-5,
                "largest difference " + maxDifference(missing, missingEndToEnd));

        // A NaN in an image marks the image missing: the same as a NaN digits vector.
        float[][] nanDigits = new float[1][ocr.dimension()];
        Arrays.fill(nanDigits[0], Float.NaN);
        float[][] nanImage = {images[1].clone()};
        nanImage[0][5] = Float.NaN;
        float[] noImage = runSingle(
                Files.readAllBytes(fusionFile),
                Map.of(
                        "review",
                        floatTensor(new float[][] {reviewAlone}),
                        "digits",
                        floatTensor(nanDigits),
                        "labs",
                        floatTensor(new float[][] {labs[1]})),
                "probabilities");
        Map<String, long[][]> one = tokens(text, List.of(TEXTS.get(1)));
        Map<String, OnnxTensor> feed = new HashMap<>();
        one.forEach((k, v) -> feed.put("review/" + k, longTensor(v)));
        feed.put("digits/x", imageTensor(nanImage, (ImagePreprocess) ocr.preprocess()));
        feed.put("labs", floatTensor(new float[][] {labs[1]}));
        float[] noImageEndToEnd = runSingle(Files.readAllBytes(endToEndFile), feed, "probabilities");
        assertTrue(
                maxDifference(noImage, noImageEndToEnd) <= 1e-5,
                "largest difference " + maxDifference(noImage, noImageEndToEnd));
        assertTrue(
                maxDifference(noImage, Arrays.copyOfRange(expected, 3, 6)) > 1e-4,
                "a missing image must change the prediction");
        assertTrue(
                maxDifference(missing, Arrays.copyOf(expected, 3)) > 1e-4,
                "a missing review must change the prediction");
        // last: where python3-onnx is missing this skips (explicitly), after every parity check above has run
        OnnxChecker.assertValid(endToEndFile);
    }

    private static EncoderSpec fetched(String name) {
        if (!TestSpecs.available(name)) {
            TestSpecs.skip(TestSpecs.NETWORK, "cannot fetch the files of encoder " + name);
        }
        return TestSpecs.spec(name);
    }

    private static OnnxMl.ModelProto model(EncoderSpec spec) throws Exception {
        Path file = TestSpecs.fetcher().fetch(spec.file(EncoderSpec.MODEL));
        try (InputStream in = Files.newInputStream(file)) {
            return OnnxMl.ModelProto.parseFrom(in);
        }
    }

    private static OnnxMl.ModelProto upgraded(OnnxMl.ModelProto model) {
        OnnxMl.ModelProto.Builder b = model.toBuilder()
                .setGraph(OnnxOpsetUpgrade.upgrade(model, "btw_"))
                .clearOpsetImport()
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(OnnxOp.OPSET));
        return b.setIrVersion(OnnxModelFile.IR_VERSION).build();
    }

    private static Map<String, long[][]> tokens(EncoderSpec spec, List<String> texts) throws Exception {
        Path json = TestSpecs.fetcher().fetch(spec.file(((TextPreprocess) spec.preprocess()).tokenizer()));
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                json,
                Map.of(
                        "maxLength",
                        Integer.toString(((TextPreprocess) spec.preprocess()).maxLength()),
                        "truncation",
                        "true",
                        "padding",
                        "true"))) {
            Encoding[] enc = tokenizer.batchEncode(texts);
            Map<String, long[][]> out = new LinkedHashMap<>();
            long[][] ids = new long[enc.length][];
            long[][] mask = new long[enc.length][];
            long[][] types = new long[enc.length][];
            for (int i = 0; i < enc.length; i++) {
                ids[i] = enc[i].getIds();
                mask[i] = enc[i].getAttentionMask();
                types[i] = enc[i].getTypeIds();
            }
            out.put("input_ids", ids);
            out.put("attention_mask", mask);
            out.put("token_type_ids", types);
            return out;
        }
    }

    /** Digits drawn as a person might write them on paper, saved as PNG files and loaded as the encoder does. */
    private float[][] digitImages(ImagePreprocess p, int n) throws Exception {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, 28, 28);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            g.drawString(Integer.toString(i % 10), 7, 23);
            g.dispose();
            Path file = dir.resolve("digit" + i + ".png");
            ImageIO.write(img, "png", file.toFile());
            out[i] = ImageLoader.load(file, p);
        }
        return out;
    }

    private static boolean[] all(int n) {
        boolean[] p = new boolean[n];
        Arrays.fill(p, true);
        return p;
    }

    private static List<EncoderInput> inputs(List<String> values) {
        List<EncoderInput> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(EncoderInput.of("i" + i, values.get(i)));
        }
        return out;
    }

    private static Map<String, OnnxTensor> longFeed(Map<String, long[][]> tokens) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        tokens.forEach((k, v) -> feed.put(k, longTensor(v)));
        return feed;
    }

    private static OnnxTensor longTensor(long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        try {
            return OnnxTensor.createTensor(
                    OrtEnvironment.getEnvironment(), LongBuffer.wrap(flat), new long[] {rows.length, rows[0].length});
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OnnxTensor floatTensor(float[][] rows) throws Exception {
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(flatten(rows)), new long[] {
            rows.length, rows[0].length
        });
    }

    private static OnnxTensor imageTensor(float[][] images, ImagePreprocess p) throws Exception {
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(flatten(images)), new long[] {
            images.length, p.channels(), p.height(), p.width()
        });
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static float[] runSingle(byte[] model, Map<String, OnnxTensor> feed, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OrtSession.Result result = session.run(feed)) {
            OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
            FloatBuffer b = t.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}

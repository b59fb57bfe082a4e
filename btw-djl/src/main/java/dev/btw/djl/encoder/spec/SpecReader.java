package dev.btw.djl.encoder.spec;

import dev.btw.core.BtwException;
import dev.btw.core.asset.Origin;
import dev.btw.core.asset.PinnedFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads {@code spec.yaml} from a spec folder into an {@link EncoderSpec}. Unknown keys, missing keys and bad values
 * are errors naming the file and the key.
 */
public final class SpecReader {

    /** The spec's file name inside its folder. */
    public static final String FILE = "spec.yaml";

    private static final Set<String> TOP = Set.of(
            "name",
            "modality",
            "engine",
            "files",
            "inputs",
            "preprocess",
            "pooling",
            "dimension",
            "output",
            "licence",
            "description",
            "trainable");
    private static final Set<String> FILE_KEYS = Set.of("maven", "npm", "local", "path", "sha256");

    private final Path file;

    private SpecReader(Path file) {
        this.file = file;
    }

    /**
     * @param folder a spec folder
     * @return the parsed spec
     * @throws BtwException when the file is missing or malformed
     */
    public static EncoderSpec read(Path folder) {
        Path f = folder.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new BtwException("no " + FILE + " in encoder folder " + folder);
        }
        Object root;
        try (Reader r = Files.newBufferedReader(f)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new BtwException("cannot read " + f + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BtwException(
                    f + ": not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        return new SpecReader(f).parse(folder, root);
    }

    private EncoderSpec parse(Path folder, Object root) {
        Map<String, Object> m = map(root, "(top level)");
        checkKeys(m, TOP, "");
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        if (m.containsKey("name") && !name.equals(str(m, "name"))) {
            throw bad("name", "'" + m.get("name") + "' differs from the folder name '" + name + "'");
        }
        Engine engine = switch (str(m, "engine").toLowerCase(Locale.ROOT)) {
            case "onnx", "onnxruntime" -> Engine.ONNX;
            case "torchscript", "pytorch" -> Engine.TORCHSCRIPT;
            default -> throw bad("engine", "must be onnx or torchscript, got '" + m.get("engine") + "'");
        };
        Map<String, PinnedFile> files = new LinkedHashMap<>();
        map(req(m, "files"), "files").forEach((k, v) -> files.put(k, asset(folder, name, k, map(v, "files." + k))));
        if (!files.containsKey(EncoderSpec.MODEL)) {
            throw bad("files", "needs a 'model' entry (the main model file)");
        }
        List<InputSpec> inputs = new ArrayList<>();
        if (m.containsKey("inputs")) {
            for (Object o : list(m.get("inputs"), "inputs")) {
                Map<String, Object> im = map(o, "inputs[]");
                checkKeys(im, Set.of("name", "type", "shape"), "inputs[].");
                List<Long> shape = new ArrayList<>();
                if (im.containsKey("shape")) {
                    for (Object d : list(im.get("shape"), "inputs[].shape")) {
                        shape.add(((Number) d).longValue());
                    }
                }
                String type = im.containsKey("type") ? str(im, "type") : "float32";
                if (!Set.of("int64", "int32", "float32").contains(type)) {
                    throw bad("inputs[].type", "must be int64, int32 or float32, got '" + type + "'");
                }
                inputs.add(new InputSpec(str(im, "name"), type, shape));
            }
        }
        Preprocess pre = m.containsKey("preprocess") ? preprocess(map(m.get("preprocess"), "preprocess"), files) : null;
        Pooling pooling = pooling(m.get("pooling"));
        int dim = integer(m, "dimension", -1);
        if (dim <= 0) {
            throw bad("dimension", "must be a positive integer");
        }
        String modality = m.containsKey("modality") ? str(m, "modality") : "any";
        String output = m.containsKey("output") ? str(m, "output") : "";
        String licence = m.containsKey("licence") ? str(m, "licence") : "unknown";
        boolean trainable = Boolean.TRUE.equals(m.get("trainable"));
        return new EncoderSpec(
                name, folder, modality, engine, files, inputs, pre, pooling, dim, output, licence, trainable);
    }

    private PinnedFile asset(Path folder, String spec, String key, Map<String, Object> a) {
        checkKeys(a, FILE_KEYS, "files." + key + ".");
        String sha = str(a, "sha256");
        if (!sha.matches("[0-9a-fA-F]{64}")) {
            throw bad("files." + key + ".sha256", "must be 64 hex digits");
        }
        String name = spec + "/" + key;
        if ((a.containsKey("maven") || a.containsKey("npm")) && str(a, "path").isBlank()) {
            throw bad("files." + key + ".path", "must name the file inside the package");
        }
        if (a.containsKey("maven")) {
            return new PinnedFile(name, Origin.MAVEN, str(a, "maven"), str(a, "path"), sha);
        }
        if (a.containsKey("npm")) {
            return new PinnedFile(name, Origin.NPM, str(a, "npm"), str(a, "path"), sha);
        }
        if (a.containsKey("local")) {
            Path p = folder.resolve(str(a, "local")).toAbsolutePath().normalize();
            return PinnedFile.local(name, p, sha);
        }
        throw bad("files." + key, "needs one of maven, npm or local");
    }

    private Preprocess preprocess(Map<String, Object> p, Map<String, PinnedFile> files) {
        String type = str(p, "type");
        switch (type) {
            case "text" -> {
                checkKeys(p, Set.of("type", "tokenizer", "max_length"), "preprocess.");
                String tok = p.containsKey("tokenizer") ? str(p, "tokenizer") : "tokenizer";
                requireFile(files, tok, "preprocess.tokenizer");
                return new TextPreprocess(tok, integer(p, "max_length", 256));
            }
            case "audio" -> {
                checkKeys(
                        p,
                        Set.of("type", "sample_rate", "front_end", "window", "stride", "mel_scale", "mel_shift"),
                        "preprocess.");
                String fe = p.containsKey("front_end") ? str(p, "front_end") : "melspectrogram";
                requireFile(files, fe, "preprocess.front_end");
                return new AudioPreprocess(
                        integer(p, "sample_rate", 16000),
                        fe,
                        integer(p, "window", 76),
                        integer(p, "stride", 8),
                        number(p, "mel_scale", 0.1f),
                        number(p, "mel_shift", 2f));
            }
            case "image" -> {
                checkKeys(
                        p,
                        Set.of("type", "channels", "height", "width", "fit", "invert", "mean", "std"),
                        "preprocess.");
                try {
                    return new ImagePreprocess(
                            integer(p, "channels", 3),
                            integer(p, "height", -1),
                            integer(p, "width", -1),
                            integer(p, "fit", 0),
                            Boolean.TRUE.equals(p.get("invert")),
                            floats(p, "mean"),
                            floats(p, "std"));
                } catch (IllegalArgumentException e) {
                    throw bad("preprocess", e.getMessage());
                }
            }
            case "video" -> {
                checkKeys(
                        p,
                        Set.of("type", "frames", "channels", "height", "width", "mean", "std", "layout"),
                        "preprocess.");
                try {
                    return new VideoPreprocess(
                            integer(p, "frames", 8),
                            integer(p, "channels", 3),
                            integer(p, "height", -1),
                            integer(p, "width", -1),
                            floats(p, "mean"),
                            floats(p, "std"),
                            p.containsKey("layout") ? str(p, "layout") : "BTCHW");
                } catch (IllegalArgumentException e) {
                    throw bad("preprocess", e.getMessage());
                }
            }
            default -> throw bad("preprocess.type", "must be text, audio, image or video, got '" + type + "'");
        }
    }

    private Pooling pooling(Object o) {
        if (o == null) {
            return new Pooling("none", new int[0]);
        }
        try {
            if (o instanceof String s) {
                return new Pooling(s, new int[0]);
            }
            Map<String, Object> p = map(o, "pooling");
            checkKeys(p, Set.of("type", "classes"), "pooling.");
            List<Object> cls = p.containsKey("classes") ? list(p.get("classes"), "pooling.classes") : List.of();
            return new Pooling(
                    str(p, "type"),
                    cls.stream().mapToInt(c -> ((Number) c).intValue()).toArray());
        } catch (IllegalArgumentException | ClassCastException e) {
            throw bad("pooling", e.getMessage());
        }
    }

    private void requireFile(Map<String, PinnedFile> files, String key, String where) {
        if (!files.containsKey(key)) {
            throw bad(where, "names file '" + key + "', which is not under files");
        }
    }

    private BtwException bad(String key, String what) {
        return new BtwException(file + ": key '" + key + "' " + what);
    }

    private void checkKeys(Map<String, Object> m, Set<String> allowed, String prefix) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw bad(prefix + k, "is unknown (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object o, String key) {
        if (!(o instanceof Map)) {
            throw bad(key, "must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) o).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String key) {
        if (!(o instanceof List)) {
            throw bad(key, "must be a list");
        }
        return (List<Object>) o;
    }

    private Object req(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw bad(key, "is missing");
        }
        return v;
    }

    private String str(Map<String, Object> m, String key) {
        Object v = req(m, key);
        if (v instanceof Map || v instanceof List) {
            throw bad(key, "must be a single value");
        }
        return String.valueOf(v);
    }

    private int integer(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer i)) {
            throw bad(key, "must be an integer, got '" + v + "'");
        }
        return i;
    }

    private float number(Map<String, Object> m, String key, float dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw bad(key, "must be a number, got '" + v + "'");
        }
        return n.floatValue();
    }

    private float[] floats(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return new float[0];
        }
        List<Object> l = v instanceof List ? list(v, key) : List.of(v);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw bad(key, "must hold numbers");
            }
            out[i] = n.floatValue();
        }
        return out;
    }
}

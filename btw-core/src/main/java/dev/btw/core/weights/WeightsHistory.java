package dev.btw.core.weights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sequence of refreshes of one training run, oldest first: {@link #last()} is the latest refresh (null before
 * the first), {@link #records()} all of them; each {@link RefreshRecord} holds its epoch (from 1), shares and
 * weights. On disk, a folder with, per refresh i,
 * {@code refresh-000i.csv} (the weights table) and {@code refresh-000i.json} (index, epoch, smoothing, rule,
 * mi, mean_weight, n).
 */
public final class WeightsHistory {

    private static final Pattern SUMMARY = Pattern.compile("refresh-(\\d+)\\.json");
    private static final ObjectMapper JSON = Json.MAPPER;

    private final List<RefreshRecord> records = new ArrayList<>();

    /**
     * Appends a refresh; its index is the next number and its mean weights are computed from the table.
     *
     * @param epoch the epoch after which the refresh ran
     * @param smoothing the EMA factor s used
     * @param rule the combination rule
     * @param shares mu^m by modality name
     * @param weights the smoothed weights W
     * @return the new record
     */
    public RefreshRecord add(
            int epoch, double smoothing, CombinationRule rule, Map<String, Double> shares, ModalityWeights weights) {
        RefreshRecord r = new RefreshRecord(
                records.size() + 1, epoch, smoothing, rule.toString(), shares, weights.means(), weights);
        records.add(r);
        return r;
    }

    /** @return every refresh, in order */
    public List<RefreshRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** @return the number of refreshes */
    public int size() {
        return records.size();
    }

    /** @return the last refresh, or null when there is none */
    public RefreshRecord last() {
        return records.isEmpty() ? null : records.get(records.size() - 1);
    }

    /**
     * @return e.g. {@code WeightsHistory[3 refreshes, last RefreshRecord[#3 after epoch 5, ...]]}, or
     *     {@code WeightsHistory[no refresh]}
     */
    @Override
    public String toString() {
        return records.isEmpty()
                ? "WeightsHistory[no refresh]"
                : "WeightsHistory[" + records.size() + (records.size() == 1 ? " refresh" : " refreshes") + ", last "
                        + last() + "]";
    }

    /**
     * Writes every refresh into {@code folder}, atomically per file.
     *
     * @param folder the weights folder, created if needed
     */
    public void writeTo(Path folder) {
        for (RefreshRecord r : records) {
            write(folder, r);
        }
    }

    /**
     * Writes one refresh (for instance just after it happened) into {@code folder}, atomically per file.
     *
     * @param folder the weights folder
     * @param r the refresh
     */
    public static void write(Path folder, RefreshRecord r) {
        String stem = String.format("refresh-%04d", r.index());
        r.weights().writeCsv(folder.resolve(stem + ".csv"));
        AtomicFiles.writeString(folder.resolve(stem + ".json"), summaryJson(r));
    }

    /**
     * @param r a refresh
     * @return its JSON summary
     */
    public static String summaryJson(RefreshRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", r.index());
        o.put("epoch", r.epoch());
        o.put("smoothing", r.smoothing());
        o.put("rule", r.rule());
        o.set("mi", JSON.valueToTree(r.shares()));
        o.set("mean_weight", JSON.valueToTree(r.meanWeights()));
        o.put("n", r.weights().size());
        try {
            return Json.PRETTY.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param folder a folder written by {@link #writeTo(Path)}
     * @return the history, in index order
     * @throws BtwException when the folder or a file is missing or malformed
     */
    public static WeightsHistory readFrom(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new BtwException(folder + ": no such weights folder");
        }
        List<Path> summaries;
        try (Stream<Path> s = Files.list(folder)) {
            summaries = s.filter(
                            p -> SUMMARY.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BtwException(folder + ": cannot list: " + e.getMessage(), e);
        }
        WeightsHistory h = new WeightsHistory();
        for (Path p : summaries) {
            Matcher m = SUMMARY.matcher(p.getFileName().toString());
            m.matches();
            String stem = p.getFileName().toString().replace(".json", "");
            try {
                JsonNode o = JSON.readTree(p.toFile());
                Map<String, Double> shares =
                        JSON.convertValue(o.required("mi"), new TypeReference<LinkedHashMap<String, Double>>() {});
                Map<String, Double> means = JSON.convertValue(
                        o.required("mean_weight"), new TypeReference<LinkedHashMap<String, Double>>() {});
                ModalityWeights w = ModalityWeights.readCsv(folder.resolve(stem + ".csv"));
                h.records.add(new RefreshRecord(
                        o.required("index").asInt(),
                        o.required("epoch").asInt(),
                        o.required("smoothing").asDouble(),
                        o.required("rule").asText(),
                        shares,
                        means,
                        w));
            } catch (IOException | IllegalArgumentException e) {
                throw new BtwException(p + ": malformed refresh summary: " + e.getMessage(), e);
            }
        }
        return h;
    }
}

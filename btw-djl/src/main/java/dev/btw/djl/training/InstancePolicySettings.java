package dev.btw.djl.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.btw.core.BtwException;
import dev.btw.core.Task;
import dev.btw.core.divergence.GlobalSigmas;
import dev.btw.core.io.AtomicFiles;
import dev.btw.core.io.Json;
import dev.btw.core.weights.CombinationRule;
import dev.btw.core.weights.InferencePolicy;
import dev.btw.core.weights.LabelFreeWeights;
import dev.btw.core.weights.WeightScale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code instance} inference policy needs besides the models: the training combination rule and scale,
 * the last refresh's modality shares mu^m, and for regression the global sigmas (each reference's train RMS
 * residual and the fused model's at the last refresh) and the sigma floor. A fusion run records them next to
 * its checkpoints as {@value #FILE} (they are the values its own validation and test predictions used), so that
 * an export can compute the same weights.
 *
 * @param rule the training combination rule
 * @param scale the training weight scale
 * @param shares mu^m by modality name, as the last refresh gave them
 * @param sigmas the global sigmas (regression), or null (classification)
 * @param sigmaFloor sigma_min on the original label scale (regression), or NaN (classification)
 */
public record InstancePolicySettings(
        CombinationRule rule, WeightScale scale, Map<String, Double> shares, GlobalSigmas sigmas, double sigmaFloor) {

    /** The file a fusion run writes in its checkpoint directory ({@code checkpoints/METHOD/seed-S/}). */
    public static final String FILE = "inference.json";

    /**
     * A run trained before btw recorded these settings: resuming its training run (which restores them from the last
     * checkpoint without training) or retraining fixes it. A type of its own, so that a front end can say how to
     * resume in its own terms.
     */
    public static final class NotRecordedException extends BtwException {

        private static final long serialVersionUID = 1L;

        NotRecordedException(String message) {
            super(message);
        }
    }

    /** Copies the shares. */
    public InstancePolicySettings {
        shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    }

    /** @return the label-free weights of the instance policy with these settings */
    public LabelFreeWeights labelFreeWeights() {
        LabelFreeWeights.Builder b = LabelFreeWeights.builder(InferencePolicy.INSTANCE)
                .setTrainingShares(shares)
                .optRule(rule)
                .optScale(scale);
        if (sigmas != null) {
            b.setGlobalSigmas(sigmas).optSigmaFloor(sigmaFloor);
        }
        return b.build();
    }

    /**
     * Writes {@value #FILE} into a directory, atomically.
     *
     * @param dir the checkpoint directory
     */
    public void write(Path dir) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("policy", InferencePolicy.INSTANCE.toString());
        root.put("rule", rule.toString());
        root.put("scale", scale.toString());
        root.set("shares", Json.MAPPER.valueToTree(shares));
        if (sigmas != null) {
            root.set("sigmas", Json.MAPPER.valueToTree(sigmas.unimodal()));
            root.put("fused_sigma", sigmas.fused());
            root.put("sigma_floor", sigmaFloor);
        }
        try {
            AtomicFiles.writeString(
                    dir.resolve(FILE),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@value #FILE} from a checkpoint directory.
     *
     * @param dir the checkpoint directory
     * @param task the run's task (regression needs the sigmas)
     * @return the settings
     * @throws NotRecordedException when the file is missing (runs trained before it was recorded)
     * @throws BtwException when it is malformed
     */
    public static InstancePolicySettings read(Path dir, Task task) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NotRecordedException(file + " is missing: the run was trained before btw recorded the "
                    + "instance policy's settings. Delete " + dir.resolve("done.json") + " and resume the same "
                    + "training run (resuming restores the settings from last.ckpt without training), or retrain");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            Map<String, Double> shares = doubles(root.get("shares"), file, "shares");
            GlobalSigmas sigmas = null;
            double floor = Double.NaN;
            if (task == Task.REGRESSION) {
                if (!root.path("fused_sigma").isNumber()
                        || !root.path("sigma_floor").isNumber()) {
                    throw new BtwException(file + ": a regression run needs 'fused_sigma' and 'sigma_floor'");
                }
                sigmas = new GlobalSigmas(
                        doubles(root.get("sigmas"), file, "sigmas"),
                        root.get("fused_sigma").asDouble());
                floor = root.get("sigma_floor").asDouble();
                if (floor == 0) {
                    throw new BtwException(file + ": the run was trained with btw.sigma_min=0, so its instance "
                            + "weights floor the sigmas at 1e-3 times the spread of a whole split's fused "
                            + "predictions, which a model predicting one batch at a time cannot reproduce; "
                            + "retrain with btw.sigma_min > 0 to export");
                }
                if (!(floor > 0) || Double.isInfinite(floor)) {
                    throw new BtwException(file + ": 'sigma_floor' must be a positive number, got " + floor);
                }
            }
            return new InstancePolicySettings(
                    CombinationRule.parse(root.path("rule").asText(null)),
                    WeightScale.parse(root.path("scale").asText(null)),
                    shares,
                    sigmas,
                    floor);
        } catch (IOException e) {
            throw new BtwException(file + ": not valid JSON: " + e.getMessage(), e);
        } catch (BtwException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new BtwException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Double> doubles(JsonNode node, Path file, String key) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new BtwException(file + ": '" + key + "' must map each modality to a number");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                throw new BtwException(file + ": '" + key + "." + e.getKey() + "' is not a number");
            }
            out.put(e.getKey(), e.getValue().asDouble());
        });
        return out;
    }
}
